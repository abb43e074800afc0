"""Paying at a participating store from the wallet on a real node: the poster's address, a store
found by code, URL or name; a resident's coupons offered where they can pay (a 専用券 only at a
small local shop); every refusal changes nothing (a wrong store code, a 専用券 at a big store,
more than the balance, a form of another resident); a double submit pays once; the live
confirmation is the resident's alone."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from tests.campaign_helpers import terms
from tests.store_helpers import Office, application, approved_store, office
from tests.web_helpers import Person

PAY_KEY = re.compile(r'name="pay_key" value="([0-9a-f]+)"')


async def _balance(o: Office, voucher_id: str) -> int:
    answer: Any = await o.shop.call("GET", f"vouchers/{voucher_id}")
    return int(answer["balance"])


async def _resident_with_coupons(o: Office, email: str) -> tuple[Person, str, str]:
    """A resident granted a first-come set: a 共通券 of ¥600 and a 専用券 of ¥400."""
    made: Any = await o.shop.call("POST", "campaigns", terms(o.shop.clock, local_yen=400))
    customer: Any = await o.shop.call("POST", "customers", {"name": "花子", "email": email})
    grant: Any = await o.shop.call(
        "POST", f"campaigns/{made['campaign_id']}/grants", {"customer_id": customer["customer_id"]}
    )
    common, local = grant["voucher_ids"]
    return await o.resident(email), common, local


async def _confirm(person: Person, code: str, voucher_id: str, amount: str) -> Any:
    return await person.signed_post(
        f"/wallet/pay/{code}/confirm", {"voucher_id": voucher_id, "amount": amount}
    )


async def test_a_resident_pays_at_a_store_by_its_code(tmp_path: Path) -> None:
    async with office(tmp_path / "node") as o:
        admin = await o.admin()
        local_store, local_code = await approved_store(o, admin, application())
        big_store, big_code = await approved_store(
            o,
            admin,
            application(store_name="大型スーパー", store_local="", store_email="b@example.jp"),
        )
        hanako, common, local = await _resident_with_coupons(o, "hanako@example.jp")

        # The poster's QR opens the wallet's page of the store; signed out, sign in first.
        poster = await o.person().get(f"/pay/{local_code}")
        assert (poster.status, poster.location) == (303, f"/wallet/pay/{local_code}")
        stranger = await o.person().get(f"/wallet/pay/{local_code}")
        assert stranger.status == 303 and stranger.location.startswith("/wallet/login?next=")

        # Found by code (any case), by the poster's URL, by name; a wrong code is refused.
        typed = await hanako.get(f"/wallet/pay?store={local_code.lower()}")
        assert (typed.status, typed.location) == (303, f"/wallet/pay/{local_code}")
        scanned = await hanako.get(f"/wallet/pay?store={o.shop.base_url}/pay/{big_code}")
        assert (scanned.status, scanned.location) == (303, f"/wallet/pay/{big_code}")
        for wrong in ("ZZZZZZ", local_code[:5] + ("2" if local_code[5] != "2" else "3"), "x" * 40):
            refused = await hanako.get(f"/wallet/pay?store={wrong}")
            assert (refused.status, refused.code) == (404, "campaign.store_code_unknown"), wrong
        unknown = await hanako.get("/wallet/pay/ZZZZZZ")
        assert (unknown.status, unknown.code) == (404, "campaign.store_code_unknown")
        found = await hanako.get("/wallet/pay?q=山田")
        assert f'href="/wallet/pay/{local_code}"' in found.text
        assert f'href="/wallet/pay/{big_code}"' not in found.text

        # A 専用券 is offered only at the small local shop.
        big_page = await hanako.get(f"/wallet/pay/{big_code}")
        assert f'value="{common}"' in big_page.text and f'value="{local}"' not in big_page.text
        local_page = await hanako.get(f"/wallet/pay/{local_code}")
        assert f'value="{common}"' in local_page.text and f'value="{local}"' in local_page.text
        refused = await _confirm(hanako, big_code, local, "100")
        assert (refused.status, refused.code) == (404, "campaign.coupon_not_held")
        # Sent anyway (a form kept from another page): the ledger refuses it at a big store.
        key = PAY_KEY.search((await _confirm(hanako, local_code, local, "100")).text)
        assert key
        at_big = await hanako.signed_post(
            f"/wallet/pay/{big_code}",
            {"voucher_id": local, "amount": "100", "pay_key": key.group(1)},
        )
        assert (at_big.status, at_big.code) == (403, "voucher.not_for_this_store")
        bad_amount = await _confirm(hanako, local_code, common, "abc")
        assert (bad_amount.status, bad_amount.code) == (400, "request.invalid_amount")

        # More than the balance: refused at the confirm step, and when paid anyway.
        over = await _confirm(hanako, local_code, common, "700")
        assert (over.status, over.code) == (409, "ledger.insufficient_balance")
        over_key = PAY_KEY.search((await _confirm(hanako, local_code, common, "600")).text)
        assert over_key
        refused = await hanako.signed_post(
            f"/wallet/pay/{local_code}",
            {"voucher_id": common, "amount": "700", "pay_key": over_key.group(1)},
        )
        assert (refused.status, refused.code) == (409, "ledger.insufficient_balance")
        assert (await _balance(o, common), await _balance(o, local)) == (600, 400)

        # Paid once, however often the form is sent.
        confirm = await _confirm(hanako, local_code, local, "300")
        assert confirm.status == 200 and "¥300" in confirm.text
        pay_key = PAY_KEY.search(confirm.text)
        assert pay_key
        form = {"voucher_id": local, "amount": "300", "pay_key": pay_key.group(1)}
        paid = await hanako.signed_post(f"/wallet/pay/{local_code}", form)
        assert paid.status == 303 and paid.location.startswith("/wallet/paid/rd_")
        again = await hanako.signed_post(f"/wallet/pay/{local_code}", form)
        assert (again.status, again.location) == (303, paid.location)
        assert await _balance(o, local) == 100
        # A double tap: the same form twice at once pays once too.
        twice_key = PAY_KEY.search((await _confirm(hanako, local_code, common, "100")).text)
        assert twice_key
        twice = {"voucher_id": common, "amount": "100", "pay_key": twice_key.group(1)}
        first, second = await asyncio.gather(
            hanako.signed_post(f"/wallet/pay/{local_code}", twice),
            hanako.signed_post(f"/wallet/pay/{local_code}", twice),
        )
        assert first.status == second.status == 303 and first.location == second.location
        assert await _balance(o, common) == 500
        redemptions: Any = await o.shop.call("GET", f"redemptions?voucher_id={local}")
        assert len(redemptions["redemptions"]) == 1
        assert redemptions["redemptions"][0]["store_id"] == local_store

        done = await hanako.get(paid.location)
        assert done.status == 200
        for shown in ('id="live-clock"', "山田商店", "¥300", "¥100", "/static/pay-live.js"):
            assert shown in done.text, shown
        receipt = redemptions["redemptions"][0]["receipt_no"]
        assert f'id="paid-receipt" class="mono">{receipt}<' in done.text

        # Another resident sees nothing of it and cannot replay the form.
        jiro, jiro_common, _ = await _resident_with_coupons(o, "jiro@example.jp")
        hidden = await jiro.get(paid.location)
        assert (hidden.status, hidden.code) == (404, "redemption.not_found")
        replay = await jiro.signed_post(
            f"/wallet/pay/{local_code}", {**form, "voucher_id": jiro_common}
        )
        assert (replay.status, replay.code) == (409, "campaign.pay_form_used")
        not_hers = await jiro.signed_post(
            f"/wallet/pay/{local_code}",
            {"voucher_id": local, "amount": "50", "pay_key": "ab" * 18},
        )
        assert (not_hers.status, not_hers.code) == (404, "campaign.coupon_not_held")
        damaged = await jiro.signed_post(
            f"/wallet/pay/{local_code}", {"voucher_id": jiro_common, "amount": "50", "pay_key": "x"}
        )
        assert (damaged.status, damaged.code) == (400, "request.invalid")
        assert await _balance(o, local) == 100 and await _balance(o, jiro_common) == 600
        assert await _balance(o, common) == 500
        assert big_store != local_store
