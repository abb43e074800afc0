"""The console's payouts and stores' bank accounts over real HTTP on a real node (no browser):
accounts set through the form (kana converted, the number masked) and each bad field refused
beside itself in Japanese and English; a payout previewed with real redemptions of campaign
coupons at two stores, each refusal shown in words (period not over, a store without an account
named, overlapping periods, the office's account not set), confirmed once (a double submit shows
the same run), its usage CSV and 全銀 file downloaded as the admin API serves them and read back,
and the reconciliation shown, its alarm once the books are broken; only head office, only with
its token."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest

from node.campaigns.zengin import read_zengin
from node.home import NodeHome
from tests.campaign_console_helpers import head_office
from tests.campaign_helpers import terms
from tests.conftest import AsyncNode, make_home, ok
from tests.test_campaign_payouts import OFFICE, configure
from tests.web_helpers import Person, add_store, browsers, counter, fresh_code

BANKS = "/admin/campaigns/stores/banks"
PAYOUTS = "/admin/campaigns/payouts"
RUN_PAGE = re.compile(r"^/admin/campaigns/payouts/(po_[0-9a-z]+)\?done=done_cpp_run$")
DAY_1, DAY_2 = "2026-11-24", "2026-11-25"  # the fake clock starts on DAY_1, 10:00 in Tokyo


@pytest.fixture
def office() -> dict[str, str] | None:
    """The office's account in [campaigns.payout]; a test parametrizes None to leave it unset."""
    return OFFICE


@pytest.fixture
def home(tmp_path: Path, office: dict[str, str] | None) -> NodeHome:
    made = make_home(tmp_path / "node")
    configure(made, office)
    return made


def account(holder: str, bank_code: str = "0005", **extra: str) -> dict[str, str]:
    form = {
        "bank_code": bank_code,
        "branch_code": "001",
        "account_type": "ordinary",
        "account_number": "1234567",
        "holder_kana": holder,
    }
    form.update(extra)
    return form


async def set_bank(admin: Person, store_id: str, form: dict[str, str]) -> None:
    answer = await admin.signed_post(BANKS, {"store_id": store_id, **form})
    assert answer.status == 303, (answer.status, answer.code)
    assert answer.location == f"{BANKS}?store={store_id}&done=done_cpp_bank_set"


async def redeem(anode: AsyncNode, voucher_id: str, store_id: str, amount: int) -> None:
    code = await fresh_code(anode, voucher_id)
    body = {"payload": code["payload"], "amount": amount, "store_id": store_id}
    await ok(anode, "POST", "redemptions", body)


async def two_stores_used(anode: AsyncNode) -> tuple[str, str]:
    """A campaign's coupons used at 鍵屋 (¥600 + ¥700) and 八百屋 (¥400) on DAY_1; its id too."""
    made = await ok(
        anode, "POST", "campaigns", terms(anode.clock, stock=10, budget_yen=10_000, per_person=2)
    )
    kagiya, yaoya = await add_store(anode, "鍵屋"), await add_store(anode, "八百屋")
    for name, uses in (("花子", ((kagiya, 600), (yaoya, 400))), ("太郎", ((kagiya, 700),))):
        person = await ok(anode, "POST", "customers", {"name": name})
        for store, amount in uses:
            granted = await ok(
                anode,
                "POST",
                f"campaigns/{made['campaign_id']}/grants",
                {"customer_id": person["customer_id"]},
            )
            await redeem(anode, granted["voucher_ids"][0], store, amount)
    return kagiya, yaoya


def refusal_codes(text: str) -> list[str]:
    block = (
        text.split('id="refusals"', 1)[1].split("</div>", 1)[0] if 'id="refusals"' in text else ""
    )
    return re.findall(r'<li data-code="([a-z_.]+)">', block)


async def test_only_head_office_with_its_token_reaches_payouts_and_bank_accounts(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        store = await add_store(anode, "本店")
        staff = await counter(anode, new, "yamada", [store])
        for path in (PAYOUTS, BANKS, f"{PAYOUTS}?from={DAY_1}&to={DAY_1}"):
            assert (await admin.get(path)).status == 200, path
            refused = await staff.get(path)
            assert (refused.status, refused.code) == (403, "auth.forbidden"), path
            nobody = await new().get(path)
            assert nobody.status == 303 and nobody.location.startswith("/admin/login"), path
        posts = {
            BANKS: {"store_id": store, **account("ﾎﾝﾃﾝ")},
            PAYOUTS: {"from": DAY_1, "to": DAY_1},
        }
        for path, form in posts.items():
            for csrf in (None, "", staff.token):
                sent = form if csrf is None else {**form, "csrf": csrf}
                answer = await admin.post(path, sent)
                assert (answer.status, answer.code) == (403, "auth.csrf"), (path, csrf)
            by_staff = await staff.signed_post(path, form)
            assert (by_staff.status, by_staff.code) == (403, "auth.forbidden"), path
        assert 'data-account="false"' in (await admin.get(BANKS)).text
        assert (await ok(anode, "GET", "payouts"))["payouts"] == []
        missing = await admin.get(f"{PAYOUTS}/po_nothere")
        assert (missing.status, missing.code) == (404, "payout.not_found")
        tabs = (await admin.get(PAYOUTS)).text
        assert f'href="{PAYOUTS}" aria-current="page"' in tabs and f'href="{BANKS}"' in tabs


# (what changes from a good account, the field at fault, its code, words in ja, words in en)
BANK_CASES = [
    ({"bank_code": "12"}, "bank_code", "bank.bad_bank_code", "4桁の数字", "4 digits"),
    ({"bank_code": "0003"}, "bank_code", "bank.unknown_bank", "見つかりません", "No bank"),
    ({"branch_code": "9"}, "branch_code", "bank.bad_branch_code", "3桁", "3 digits"),
    ({"branch_code": "998"}, "branch_code", "bank.unknown_branch", "支店", "no branch"),
    ({"account_type": "loan"}, "account_type", "bank.bad_account_type", "普通", "ordinary"),
    ({"account_number": "12345678"}, "account_number", "bank.bad_account_number", "7桁", "7"),
    ({"holder_kana": "鍵屋"}, "holder_kana", "bank.holder_not_kana", "鍵", "鍵"),
    ({"holder_kana": "ア" * 31}, "holder_kana", "bank.holder_too_long", "30", "30"),
]


async def test_a_store_account_is_set_kana_converted_masked_and_refused_beside_its_field(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        kagiya = await add_store(anode, "鍵屋")
        for lang, column in (("ja", 3), ("en", 4)):
            admin.headers["Accept-Language"] = lang
            for case in BANK_CASES:
                change, field, code = case[0], case[1], case[2]
                form = {"store_id": kagiya, **account("カギヤ"), **change}
                answer = await admin.signed_post(BANKS, form)
                assert (answer.status, answer.code) == (422, code), (lang, change)
                error_id = f'id="cp-bank-{kagiya}-{field}-error"'
                assert error_id in answer.text, (lang, field)
                message = answer.text.split(error_id, 1)[1].split("</p>", 1)[0]
                assert str(case[column]) in message, (lang, field, message)
                typed = next(iter(change.values()))
                assert f'value="{typed}"' in answer.text or field == "account_type"
                assert "<details open>" in answer.text
        assert 'data-account="false"' in (await admin.get(BANKS)).text
        admin.headers["Accept-Language"] = "ja"
        await set_bank(admin, kagiya, account("株式会社　カギヤ", bank_code="０００５"))
        page = (await admin.get(BANKS)).text
        shown = page.split(f'id="account-{kagiya}"', 1)[1].split("</dl>", 1)[0]
        assert "ｶ)ｶｷﾞﾔ" in shown and "••••567" in shown and "1234567" not in page
        assert "三菱ＵＦＪ" in shown and "普通" in shown
        assert "ｶ)ｶｷﾞﾔ" in page.split('id="holder-hint', 1)[1]  # the hint shows the conversion
        await set_bank(admin, kagiya, account("かぎや", account_type="current"))
        changed = (await admin.get(BANKS)).text
        assert "ｶｷﾞﾔ" in changed and "当座" in changed
        unknown = await admin.signed_post(BANKS, {"store_id": "st_nothere", **account("ｱ")})
        assert unknown.status == 404


def count_one_more_yen_granted(database: Path) -> None:
    """A campaign's own count a yen off the ledger's (what only a bug could do): the alarm."""
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE campaigns SET granted_yen = granted_yen + 1")


async def test_a_payout_is_previewed_refused_in_words_confirmed_once_and_downloaded(
    anode: AsyncNode, home: NodeHome
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        kagiya, yaoya = await two_stores_used(anode)
        await set_bank(admin, kagiya, account("株式会社カギヤ"))
        day_1 = {"from": DAY_1, "to": DAY_1, "transfer_date": "2026-11-27"}

        # DAY_1 is today: not over; 八百屋 has no account, named by name
        for lang, words in (
            ("ja", ("期間が終わって", "八百屋")),
            ("en", ("once it is over", "八百屋")),
        ):
            admin.headers["Accept-Language"] = lang
            early = await admin.get(f"{PAYOUTS}?{urlencode(day_1)}")
            assert early.status == 200
            assert refusal_codes(early.text) == ["payout.period_not_over", "payout.no_bank_account"]
            assert all(w in early.text.split('id="refusals"', 1)[1] for w in words)
            assert 'id="confirm-run"' not in early.text
            assert f'data-store="{yaoya}" data-account="false"' in early.text
        admin.headers["Accept-Language"] = "ja"
        refused = await admin.signed_post(PAYOUTS, day_1)
        assert (refused.status, refused.code) == (409, "payout.period_not_over")
        assert 'id="cp-run-error"' in refused.text

        anode.clock.advance(days=1)
        admin = await head_office(anode, new)  # the console's session ended overnight
        still = await admin.get(f"{PAYOUTS}?{urlencode(day_1)}")
        assert refusal_codes(still.text) == ["payout.no_bank_account"]
        refused = await admin.signed_post(PAYOUTS, day_1)
        assert (refused.status, refused.code) == (409, "payout.no_bank_account")
        assert "八百屋" in refused.text.split('id="cp-run-error"', 1)[1].split("</p>", 1)[0]
        bad_days = await admin.get(f"{PAYOUTS}?from={DAY_2}&to={DAY_1}")
        assert (bad_days.status, bad_days.code) == (422, "payout.bad_period")
        assert 'id="cp-preview-from-error"' in bad_days.text
        past = await admin.get(f"{PAYOUTS}?from={DAY_1}&to={DAY_1}&transfer_date=2026-11-01")
        assert 'id="cp-preview-transfer_date-error"' in past.text

        await set_bank(admin, yaoya, account("やおや　はなこ", bank_code="0033"))
        ready = await admin.get(f"{PAYOUTS}?{urlencode(day_1)}")
        api = await ok(anode, "GET", f"payout-preview?{urlencode(day_1)}")  # the same, as JSON
        assert (api["total_yen"], api["refusals"], len(api["lines"])) == (1700, [], 2)
        status, early = await anode.call("GET", f"payout-preview?from={DAY_2}&to={DAY_2}")
        assert status == 200 and [r["code"] for r in early["refusals"]] == [
            "payout.period_not_over"
        ]
        status, bad = await anode.call("GET", f"payout-preview?from={DAY_2}&to={DAY_1}")
        assert (status, bad["error"]["code"]) == (422, "payout.bad_period")
        assert refusal_codes(ready.text) == [] and 'id="ready"' in ready.text
        assert 'id="preview-total" data-yen="1700"' in ready.text
        assert f'data-store="{kagiya}" data-campaign=' in ready.text
        form = ready.text.split('id="cp-run"', 1)[1].split("</form>", 1)[0]
        assert 'name="csrf"' in form and f'value="{DAY_1}"' in form

        made = await admin.signed_post(PAYOUTS, day_1)
        found = RUN_PAGE.match(made.location)
        assert made.status == 303 and found, (made.status, made.code, made.location)
        payout_id = found.group(1)
        again = await admin.signed_post(PAYOUTS, day_1)  # a double submit: the same run
        assert again.location == made.location
        [run] = (await ok(anode, "GET", "payouts"))["payouts"]
        assert (run["payout_id"], run["stores"], run["total_yen"]) == (payout_id, 2, 1700)

        page = await admin.get(made.location)
        assert page.status == 200 and "支払を記録しました" in page.text
        assert 'id="run-total" data-yen="1700"' in page.text
        assert 'id="books-state" data-reconciled="true"' in page.text
        assert 'data-yen="1700"' in page.text.split('id="books"', 1)[1]  # paid = used

        csv_answer = await admin.http.get(f"{anode.base_url}{PAYOUTS}/{payout_id}/usage.csv")
        assert csv_answer.status == 200
        assert (
            csv_answer.headers["Content-Disposition"] == f'attachment; filename="{payout_id}.csv"'
        )
        rows = list(csv.DictReader(io.StringIO((await csv_answer.read()).decode("utf-8-sig"))))
        assert {(r["store_name"], int(r["amount_yen"])) for r in rows} == {
            ("鍵屋", 1300),
            ("八百屋", 400),
        }
        file_answer = await admin.http.get(f"{anode.base_url}{PAYOUTS}/{payout_id}/transfer-file")
        assert (
            file_answer.headers["Content-Disposition"] == f'attachment; filename="{payout_id}.txt"'
        )
        content = await file_answer.read()
        api = await anode.session.get(
            f"{anode.base_url}/api/v1/payouts/{payout_id}/transfer-file",
            headers={"Authorization": f"Bearer {anode.token}"},
        )
        assert content == await api.read()
        transfer = read_zengin(content)
        assert int(transfer.trailer["total"]) == 1700 and int(transfer.trailer["count"]) == 2
        assert sum(int(r["amount"]) for r in transfer.data) == 1700
        assert {r["holder_name"].rstrip() for r in transfer.data} == {"ｶ)ｶｷﾞﾔ", "ﾔｵﾔ ﾊﾅｺ"}
        assert transfer.header["transfer_date"] == "1127"

        # DAY_1 to DAY_2 overlaps the run: refused in words, naming the paid period
        for lang, words in (("ja", "すでに支払済み"), ("en", "paid already")):
            admin.headers["Accept-Language"] = lang
            overlap = await admin.get(f"{PAYOUTS}?from={DAY_1}&to={DAY_2}")
            assert "payout.period_overlaps" in refusal_codes(overlap.text), lang
            assert words in overlap.text and 'id="confirm-run"' not in overlap.text
        anode.clock.advance(days=1)
        admin = await head_office(anode, new)
        refused = await admin.signed_post(PAYOUTS, {"from": DAY_1, "to": DAY_2})
        assert (refused.status, refused.code) == (409, "payout.period_overlaps")
        listed = await admin.get(PAYOUTS)
        assert f'data-payout="{payout_id}"' in listed.text
        assert len((await ok(anode, "GET", "payouts"))["payouts"]) == 1

        await asyncio.to_thread(count_one_more_yen_granted, home.database_path)
        for lang, words in (("ja", "照合が合いません"), ("en", "do not reconcile")):
            admin.headers["Accept-Language"] = lang
            alarmed = (await admin.get(f"{PAYOUTS}/{payout_id}")).text
            state = alarmed.split('id="books-state"', 1)[1].split("</p>", 1)[0]
            assert 'role="alert" data-reconciled="false"' in state and words in state, lang


@pytest.mark.parametrize("office", [None])
async def test_without_the_office_account_a_payout_is_refused_in_words(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        kagiya, yaoya = await two_stores_used(anode)
        for store in (kagiya, yaoya):
            await set_bank(admin, store, account("ﾐｾ"))
        anode.clock.advance(days=1)
        admin = await head_office(anode, new)
        for lang, words in (("ja", "振込依頼人"), ("en", "transfer requester")):
            admin.headers["Accept-Language"] = lang
            shown = await admin.get(f"{PAYOUTS}?from={DAY_1}&to={DAY_1}")
            assert refusal_codes(shown.text) == ["payout.requester_not_set"], lang
            assert words in shown.text.split('id="refusals"', 1)[1]
            refused = await admin.signed_post(PAYOUTS, {"from": DAY_1, "to": DAY_1})
            assert (refused.status, refused.code) == (409, "payout.requester_not_set")
            assert words in refused.text.split('id="cp-run-error"', 1)[1]
        assert (await ok(anode, "GET", "payouts"))["payouts"] == []


@pytest.mark.parametrize("office", [{**OFFICE, "requester_name_kana": "北九州市 事務局"}])
async def test_an_office_name_the_bank_cannot_read_is_refused_in_words(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        kagiya, yaoya = await two_stores_used(anode)
        anode.clock.advance(days=1)
        admin = await head_office(anode, new)
        for store in (kagiya, yaoya):
            await set_bank(admin, store, account("ﾐｾ"))
        for lang, words in (("ja", "半角カタカナで書けません"), ("en", "half-width katakana")):
            admin.headers["Accept-Language"] = lang
            shown = await admin.get(f"{PAYOUTS}?from={DAY_1}&to={DAY_1}")
            assert refusal_codes(shown.text) == ["bank.holder_not_kana"], lang
            said = shown.text.split('id="refusals"', 1)[1].split("</div>", 1)[0]
            assert words in said and "北" in said
            refused = await admin.signed_post(PAYOUTS, {"from": DAY_1, "to": DAY_1})
            assert (refused.status, refused.code) == (422, "bank.holder_not_kana")
            assert words in refused.text.split('id="cp-run-error"', 1)[1]
        assert (await ok(anode, "GET", "payouts"))["payouts"] == []
