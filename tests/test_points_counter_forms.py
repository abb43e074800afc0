"""The counter's points forms and the voucher payment's points on a real node, over HTTP (the
browser journeys are tests/test_points_counter_browser.py):

- a voucher's QR identifies its holder for earning (and is not used up: it still pays), and a
  voucher with no holder (sold at the counter, not taken yet) pays without points;
- voiding a payment takes its points back with it (what was spent since is a shortfall);
- the payment and its points are one writer unit, the points in a savepoint of their own: a
  sale whose points are refused (a rest past the points' purchase limit) is paid all the same,
  the ✓ screen says why no points came, and nothing of the points was written (not even the
  holder's membership, made in that savepoint);
- bad input changes nothing and says why in Japanese: an amount that is not one, 0 points, a
  member number nobody has, a form whose transaction id was tampered with;
- guessed 16-digit card codes (and member numbers nobody has) count in the counter's wrong-code
  throttle: after 10 the next is refused (auth.throttled) before it is checked; no points moved;
- the EAN-13 barcode of a known number (GS1's example 5901234123457) has the published bars.
"""

from __future__ import annotations

import re

import aiohttp

from node.home import NodeHome
from node.points import actions, queries
from node.points.actions import ADMIN, Caller
from node.points.model import MAX_PURCHASE_YEN, EntryKind
from node.web.barcode import modules
from node.web.i18n import TEXTS
from tests.conftest import FakeClock
from tests.points_counter_helpers import signed_in_staff
from tests.points_helpers import PointsNode, points_node
from tests.web_helpers import Person

TXN = re.compile(r'name="txn" value="([^"]+)"')
REDEMPTION = re.compile(r'href="/staff/void/(rd_[^"]+)"')


async def voucher_code(p: PointsNode, customer_id: str | None) -> tuple[str, str]:
    body = {"amount": 10_000} | ({"customer_id": customer_id} if customer_id else {})
    status, voucher = await p.admin("POST", "vouchers", body)
    assert status == 201, voucher
    status, code = await p.admin("GET", f"vouchers/{voucher['voucher_id']}/code")
    assert status == 200, code
    return str(voucher["voucher_id"]), str(code["payload"])


async def points_of(p: PointsNode, member_no: str) -> int:
    member = await actions.member_by_number(p.node, member_no)
    return int((await actions.balance_answer(p.node, member))["balance"])


async def test_a_voucher_identifies_its_holder_and_a_voucher_without_one_earns_nothing(
    home: NodeHome, clock: FakeClock
) -> None:
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store_id = await p.store()
        staff = await signed_in_staff(p, http, store_id)
        customer_id = await p.customer("山田花子")
        _, payload = await voucher_code(p, customer_id)

        confirm = await staff.signed_post(
            "/staff/points/confirm", {"member": payload, "amount": "3000"}
        )
        assert confirm.status == 200, confirm.code
        member = await actions.member_of(p.node, customer_id)
        assert member.member_no in confirm.text and "+30 pt" in confirm.text
        txn = TXN.search(confirm.text)
        assert txn
        form = {"member": payload, "amount": "3000", "txn": txn.group(1)}
        earned = await staff.signed_post("/staff/points/earn", form)
        assert earned.status == 200 and 'id="done-balance">30 pt' in earned.text
        assert await points_of(p, member.member_no) == 30

        # The same code still pays, and the payment earns for the holder.
        paid = await staff.signed_post("/staff/redeem", {"code": payload, "amount": "1000"})
        assert 'data-outcome="accepted"' in paid.text and 'data-points="10"' in paid.text
        assert await points_of(p, member.member_no) == 40

        # The payment voided: its 10 points go with it, in the void's own unit; 5 of them were
        # spent meanwhile, so 5 are taken back and 5 recorded as a shortfall (never below 0).
        code = str(actions.card_code(p.node, member)["payload"])
        await actions.use(p.node, code, 35, "pos-use-1", Caller("key:ak_pos"), store_id)
        redemption_id = REDEMPTION.search(paid.text)
        assert redemption_id
        voided = await staff.signed_post("/staff/void", {"redemption_id": redemption_id.group(1)})
        assert 'data-outcome="voided"' in voided.text, voided.code
        assert 'id="voided-points" data-points="5"' in voided.text
        assert (
            "取り消したポイント −5 pt" in voided.text
            and "回収できなかったポイント 5 pt" in voided.text
        )
        assert await points_of(p, member.member_no) == 0
        again = await staff.signed_post("/staff/void", {"redemption_id": redemption_id.group(1)})
        assert 'id="voided-points"' not in again.text  # voided once, taken back once
        assert await points_of(p, member.member_no) == 0

        # Nobody holds a voucher sold at the counter until it is taken: no points, no line.
        _, unheld = await voucher_code(p, None)
        paid = await staff.signed_post("/staff/redeem", {"code": unheld, "amount": "1000"})
        assert 'data-outcome="accepted"' in paid.text
        assert 'id="done-points"' not in paid.text and 'id="points-refused"' not in paid.text


async def test_a_payment_stands_when_its_points_are_refused(
    home: NodeHome, clock: FakeClock
) -> None:
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store_id = await p.store()
        staff = await signed_in_staff(p, http, store_id)
        customer_id = await p.customer("山田花子")
        voucher_id, payload = await voucher_code(p, customer_id)
        form = {"code": payload, "amount": "10000", "rest": str(MAX_PURCHASE_YEN), "method": "cash"}
        paid = await staff.signed_post("/staff/redeem", form)
        assert 'data-outcome="accepted"' in paid.text, paid.code
        assert 'id="points-refused" data-code="points.invalid"' in paid.text
        assert "ポイントは付与されませんでした" in paid.text
        status, voucher = await p.admin("GET", f"vouchers/{voucher_id}")
        assert status == 200 and voucher["balance"] == 0
        assert await queries.member(p.node.require_reader(), customer_id) is None


async def test_bad_input_changes_nothing_and_guessed_codes_are_throttled(
    home: NodeHome, clock: FakeClock
) -> None:
    async with (
        points_node(home, clock) as p,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http,
    ):
        store_id = await p.store()
        staff: Person = await signed_in_staff(p, http, store_id)
        member = await p.member()
        await actions.adjust(p.node, member.member_no, 500, "お詫び", ADMIN)
        nobody = "1234567897" if member.member_no != "1234567897" else "2345678903"

        refusals = [
            ("/staff/points/confirm", {"member": member.member_no, "amount": "abc"}),
            ("/staff/points/confirm", {"member": nobody, "amount": "1000"}),
            ("/staff/points/use/confirm", {"member": member.card_no, "points": "5"}),
            ("/staff/points/use/confirm", {"member": member.member_no, "points": "0"}),
            ("/staff/points/earn", {"member": member.member_no, "amount": "1000", "txn": ""}),
            ("/staff/points/use/confirm", {"member": "KIPPUM1:garbage", "points": "5"}),
        ]
        answers = []
        for path, form in refusals:
            page = await staff.signed_post(path, form)
            alert = re.search(
                r'<p class="alert" role="alert" data-code="[^"]+">([^<]+)</p>', page.text
            )
            assert alert and re.search(r"[ぁ-んァ-ン一-龥]", alert.group(1)), page.text
            answers.append((page.status, page.code))
        assert answers == [
            (400, "request.invalid_amount"),
            (404, "member.not_found"),
            (403, "member.card_cannot_spend"),
            (422, "points.invalid"),
            (422, "points.invalid"),
            (422, "member.invalid_code"),
        ]
        assert await points_of(p, member.member_no) == 500

        right = str(actions.card_code(p.node, member)["manual_code"])
        guesses = [f"{right[:10]}{(int(right[10:]) + k) % 1_000_000:06d}" for k in range(1, 12)]
        codes = []
        for i, guess in enumerate(guesses):
            form = {"member": guess, "points": "100", "txn": f"guess-{i}"}
            codes.append((await staff.signed_post("/staff/points/use", form)).code)
        # Two refusals above counted too (a member number nobody has, a malformed card code):
        # 10 in all, then the next are refused before they are checked.
        assert codes[:8] == ["member.code_invalid"] * 8
        assert codes[8:] == ["auth.throttled"] * 3
        assert await points_of(p, member.member_no) == 500


def test_the_barcode_of_a_known_number_has_the_published_bars() -> None:
    # GS1's example 5901234123457: parity LGGLLG for the leading 5, then R for the right half.
    expected = (
        "101"
        + "0001011" + "0100111" + "0110011" + "0010011" + "0111101" + "0011101"
        + "01010"
        + "1100110" + "1101100" + "1000010" + "1011100" + "1001110" + "1000100"
        + "101"
    )  # fmt: skip
    assert modules("5901234123457") == expected


def test_every_kind_of_points_entry_has_its_words_in_the_wallet_history() -> None:
    """A kind added to the journal without its text would break the wallet's points page."""
    missing = [kind for kind in EntryKind if f"pw_kind_{kind.value}" not in TEXTS]
    assert missing == []
