"""Who may do what on the web pages: sessions, roles, CSRF, sign-in throttles, stores and cookies.

Real node, real HTTP: every simulated person is a browser with its own cookie jar.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from node.web.guard import LOGIN_PAGES
from node.web.model import Role
from node.web.routes import add_web_routes
from tests.conftest import AsyncNode, FakeClock, ok
from tests.web_helpers import (
    ADMIN_PASSWORD,
    HANDOVER,
    PASSWORD,
    NewPerson,
    Page,
    Person,
    add_staff,
    add_store,
    at_the_counter,
    balance,
    browsers,
    counter,
    customer_signs_in,
    customer_with_voucher,
    fresh_code,
    redeem_at_counter,
    redeem_by_api,
    wrong_codes,
)

SIGNED_IN_PREFIXES = ("/staff", "/wallet", "/admin", "/take", "/logout")
PUBLIC = {
    ("GET", "/staff/login"),
    ("POST", "/staff/login"),
    ("GET", "/admin/login"),
    ("POST", "/admin/login"),
    ("GET", "/wallet/login"),
    ("POST", "/wallet/login"),
    ("GET", "/wallet/link/{token}"),
    ("POST", "/wallet/link/{token}"),
    ("GET", "/take/{token}"),
    ("GET", "/wallet/erased"),  # the done page after a deletion: its reader is signed out
}
ANY_ROLE = (Role.ADMIN, Role.STAFF, Role.CUSTOMER)
GUARDED: dict[tuple[str, str], tuple[Role, ...]] = {
    ("GET", "/staff"): (Role.STAFF,),
    ("GET", "/staff/store"): (Role.STAFF,),
    ("POST", "/staff/store"): (Role.STAFF,),
    ("GET", "/staff/today"): (Role.STAFF,),
    ("POST", "/staff/confirm"): (Role.STAFF,),
    ("POST", "/staff/redeem"): (Role.STAFF,),
    ("GET", "/staff/claims/{claim_id}"): (Role.STAFF,),
    ("POST", "/staff/void"): (Role.STAFF,),
    ("GET", "/staff/void/{ref}"): (Role.STAFF,),
    ("POST", "/staff/edit"): (Role.STAFF,),
    ("GET", "/staff/resume"): (Role.STAFF,),
    ("GET", "/staff/sell"): (Role.STAFF,),
    ("POST", "/staff/sell"): (Role.STAFF,),
    ("POST", "/staff/sell/confirm"): (Role.STAFF,),
    ("POST", "/staff/sales/{voucher_id}/handover"): (Role.STAFF,),
    ("GET", "/staff/sales/{voucher_id}/cancel"): (Role.STAFF,),
    ("POST", "/staff/sales/{voucher_id}/cancel"): (Role.STAFF,),
    ("GET", "/staff/close"): (Role.STAFF,),
    ("GET", "/staff/points"): (Role.STAFF,),
    ("POST", "/staff/points/confirm"): (Role.STAFF,),
    ("POST", "/staff/points/earn"): (Role.STAFF,),
    ("GET", "/staff/points/use"): (Role.STAFF,),
    ("POST", "/staff/points/use/confirm"): (Role.STAFF,),
    ("POST", "/staff/points/use"): (Role.STAFF,),
    ("GET", "/wallet/card"): (Role.CUSTOMER,),
    ("GET", "/wallet/card/code.json"): (Role.CUSTOMER,),
    ("GET", "/wallet/points"): (Role.CUSTOMER,),
    ("POST", "/wallet/points/notify"): (Role.CUSTOMER,),
    ("GET", "/wallet/mail"): (Role.CUSTOMER,),
    ("POST", "/wallet/mail"): (Role.CUSTOMER,),
    ("GET", "/wallet/my-data.json"): (Role.CUSTOMER,),
    ("GET", "/wallet/profile"): (Role.CUSTOMER,),
    ("POST", "/wallet/profile"): (Role.CUSTOMER,),
    ("GET", "/wallet/erase"): (Role.CUSTOMER,),
    ("POST", "/wallet/erase"): (Role.CUSTOMER,),
    ("GET", "/wallet"): (Role.CUSTOMER,),
    ("GET", "/wallet/v/{voucher_id}"): (Role.CUSTOMER,),
    ("GET", "/wallet/v/{voucher_id}/code.json"): (Role.CUSTOMER,),
    ("POST", "/wallet/v/{voucher_id}/gift"): (Role.CUSTOMER,),
    ("GET", "/wallet/receipts/{ref}.pdf"): (Role.CUSTOMER,),
    ("POST", "/wallet/receipts/{ref}.pdf"): (Role.CUSTOMER,),
    ("GET", "/wallet/receipts/{ref}"): (Role.CUSTOMER,),
    ("GET", "/wallet/v/{voucher_id}/gift"): (Role.CUSTOMER,),
    ("POST", "/wallet/v/{voucher_id}/gift/confirm"): (Role.CUSTOMER,),
    ("GET", "/wallet/v/{voucher_id}/refund"): (Role.CUSTOMER,),
    ("POST", "/wallet/v/{voucher_id}/refund"): (Role.CUSTOMER,),
    ("GET", "/wallet/v/{voucher_id}/events"): (Role.CUSTOMER,),
    ("GET", "/wallet/gifts"): (Role.CUSTOMER,),
    ("GET", "/wallet/gifts/{gift_id}"): (Role.CUSTOMER,),
    ("GET", "/wallet/gifts/{gift_id}/return"): (Role.CUSTOMER,),
    ("POST", "/wallet/gifts/{gift_id}/return"): (Role.CUSTOMER,),
    ("POST", "/take/{token}"): (Role.CUSTOMER,),
    ("GET", "/wallet/shop"): (Role.CUSTOMER,),
    ("GET", "/wallet/shop/{product_id}"): (Role.CUSTOMER,),
    ("POST", "/wallet/shop/{product_id}/pay"): (Role.CUSTOMER,),
    ("GET", "/wallet/shop/payments/{payment_id}"): (Role.CUSTOMER,),
    ("GET", "/wallet/shop/payments/{payment_id}/receipt.pdf"): (Role.CUSTOMER,),
    ("GET", "/wallet/points/exchange"): (Role.CUSTOMER,),
    ("GET", "/wallet/points/exchange/{item_id}"): (Role.CUSTOMER,),
    ("POST", "/wallet/points/exchange/{item_id}/confirm"): (Role.CUSTOMER,),
    ("POST", "/wallet/points/exchange/{item_id}"): (Role.CUSTOMER,),
    ("GET", "/wallet/points/lotteries"): (Role.CUSTOMER,),
    ("GET", "/wallet/points/lotteries/{lottery_id}"): (Role.CUSTOMER,),
    ("POST", "/wallet/points/lotteries/{lottery_id}/confirm"): (Role.CUSTOMER,),
    ("POST", "/wallet/points/lotteries/{lottery_id}/enter"): (Role.CUSTOMER,),
    # eligibility (資格確認): a campaign's serial codes in the console, the wallet's checks
    ("GET", "/admin/campaigns/{campaign_id}/serials"): (Role.ADMIN,),
    ("POST", "/admin/campaigns/{campaign_id}/serials"): (Role.ADMIN,),
    ("GET", "/wallet/campaigns/{campaign_id}/verify"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/serial"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/residence"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/email"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/email/code"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/sms"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/sms/code"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/line"): (Role.CUSTOMER,),
    ("GET", "/wallet/line/callback"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/passkey/options"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/verify/passkey"): (Role.CUSTOMER,),
    ("POST", "/logout"): ANY_ROLE,
    # paying at a participating store (店舗QR払い: node/web/campaign_pay.py)
    ("GET", "/wallet/pay"): (Role.CUSTOMER,),
    ("GET", "/wallet/pay/{code}"): (Role.CUSTOMER,),
    ("POST", "/wallet/pay/{code}/confirm"): (Role.CUSTOMER,),
    ("POST", "/wallet/pay/{code}"): (Role.CUSTOMER,),
    ("GET", "/wallet/paid/{redemption_id}"): (Role.CUSTOMER,),
    # 自治体キャンペーン: the resident's campaign pages
    ("GET", "/wallet/campaigns"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/lottery"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/lottery/apply"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/lottery/claim"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/survey"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/survey"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/receive"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/wait/{ticket}"): (Role.CUSTOMER,),
    ("POST", "/wallet/campaigns/{campaign_id}/buy"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/payments/{payment_id}"): (Role.CUSTOMER,),
    ("GET", "/wallet/campaigns/{campaign_id}/payments/{payment_id}/receipt.pdf"): (Role.CUSTOMER,),
}
HOMES = {Role.ADMIN: "/admin", Role.STAFF: "/staff", Role.CUSTOMER: "/wallet"}


def web_routes() -> set[tuple[str, str]]:
    """Every GET and POST route the node's web pages add under the signed-in prefixes."""
    app = web.Application()
    add_web_routes(app)
    return {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None
        and route.method in ("GET", "POST")
        and route.resource.canonical.startswith(SIGNED_IN_PREFIXES)
    }


# Every console route is the admin's alone: they are added to GUARDED from the router itself, so
# a new console page is covered by every test below without anyone remembering to list it.
GUARDED.update(
    {
        route: (Role.ADMIN,)
        for route in web_routes()
        if route[1] == "/admin" or route[1].startswith("/admin/")
        if route not in PUBLIC
    }
)


def test_the_table_names_every_signed_in_route() -> None:
    routes = web_routes()
    assert routes >= PUBLIC, PUBLIC - routes
    assert routes - PUBLIC == set(GUARDED)
    assert ("GET", "/admin") in GUARDED


@dataclass
class Scene:
    """An admin, a staff member and a customer signed in; a redemption and a sold voucher."""

    people: dict[Role, Person]
    anonymous: Person
    store_id: str
    voucher_id: str
    redemption_id: str
    take_path: str
    payload: str  # a valid, unused QR code of the customer's voucher

    def request(self, method: str, path: str) -> tuple[str, dict[str, str]]:
        known = {
            "voucher_id": self.voucher_id,
            "redemption_id": self.redemption_id,
            "ref": self.redemption_id,
            "claim_id": "cl_0000",
            "token": self.take_path.removeprefix("/take/"),
            "fmt": "csv",  # a download's format: the route takes pdf, csv or json only
            "campaign_id": "cp_x0000",  # the console's campaign routes take cp_ ids only
            "payout_id": "po_x0000",  # and its payout routes po_ ids only
        }
        # Console routes' own identifiers: the guard must refuse before anything is looked up.
        concrete = path.format_map(defaultdict(lambda: "x0000", known))
        forms = {
            "/staff/store": {"store_id": self.store_id},
            "/staff/confirm": {"code": self.payload, "amount": "1000"},
            "/staff/redeem": {"code": self.payload, "amount": "1000"},
            "/staff/edit": {"code": self.payload, "amount": "1000"},
            "/staff/void": {"redemption_id": self.redemption_id},
            "/staff/sell": {"face": "3000", "method": "cash"},
            "/staff/sell/confirm": {"face": "3000"},
            "/wallet/v/{voucher_id}/gift": {"amount": "1000"},
            "/staff/points/earn": {"member": self.payload, "amount": "1000", "txn": "sec-1"},
            "/staff/points/use": {"member": "0000000000", "points": "1", "txn": "sec-2"},
            "/wallet/points/notify": {"notify": "1"},
            "/wallet/mail": {"marketing": "1"},
            "/wallet/profile": {"name": "花子", "phone": "09012345678"},
        }
        return concrete, forms.get(path, {}) if method == "POST" else {}


async def set_the_scene(
    anode: AsyncNode, new: NewPerson, caplog: pytest.LogCaptureFixture
) -> Scene:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    store_id = await add_store(anode, "本店")
    await add_staff(anode, "yamada", [store_id])
    voucher_id = await customer_with_voucher(anode, "hanako@example.com")
    redemption_id = await redeem_by_api(anode, voucher_id, store_id, 1000)
    admin, staff = new(), new()
    assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
    assert (await staff.sign_in("/staff/login", "yamada", PASSWORD)).status == 303
    customer = await customer_signs_in(new(), "hanako@example.com", caplog)
    sold = await staff.signed_post("/staff/sell", {"face": "3000", "method": "cash"})
    found = HANDOVER.search(sold.text)
    assert found, sold.text
    payload = (await fresh_code(anode, voucher_id))["payload"]
    people = {Role.ADMIN: admin, Role.STAFF: staff, Role.CUSTOMER: customer}
    return Scene(people, new(), store_id, voucher_id, redemption_id, found.group(1), payload)


async def state(anode: AsyncNode, scene: Scene) -> dict[str, Any]:
    """What a refused request must not change: money, vouchers, the hand-over, the sessions."""
    voucher = await ok(anode, "GET", f"vouchers/{scene.voucher_id}")
    redemption = await ok(anode, "GET", f"redemptions/{scene.redemption_id}")
    homes = {role: (await p.get(HOMES[role])).status for role, p in scene.people.items()}
    return {
        "balance": voucher["balance"],
        "gave_gift": voucher["has_given_gift"],
        "voided": redemption["voided"],
        "vouchers": len((await ok(anode, "GET", "vouchers"))["vouchers"]),
        "hand-over open": (await scene.anonymous.get(scene.take_path)).status,
        "homes": homes,
    }


async def test_every_page_needs_a_session_of_its_own_role(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        scene = await set_the_scene(anode, new, caplog)
        before = await state(anode, scene)
        assert before["homes"] == {Role.ADMIN: 200, Role.STAFF: 200, Role.CUSTOMER: 200}
        assert before["hand-over open"] == 200
        for (method, path), allowed in GUARDED.items():
            concrete, form = scene.request(method, path)
            nobody = await scene.anonymous.send(method, concrete, form or None)
            if path.endswith(".json"):
                assert (nobody.status, nobody.code) == (401, "auth.not_signed_in"), path
            else:
                logins = [LOGIN_PAGES[r] for r in allowed]
                assert nobody.status == 303, (method, path, nobody.status)
                assert nobody.location.split("?next=")[0] in logins, (path, nobody.location)
            for role in set(ANY_ROLE) - set(allowed):
                person = scene.people[role]
                if method == "POST":  # a valid CSRF token: the role alone must refuse it
                    answer = await person.signed_post(concrete, form)
                else:
                    answer = await person.get(concrete)
                assert (answer.status, answer.code) == (403, "auth.forbidden"), (role, path)
        assert await state(anode, scene) == before


async def test_signed_in_forms_need_the_sessions_csrf_token(
    anode: AsyncNode, caplog: pytest.LogCaptureFixture
) -> None:
    async with browsers(anode) as new:
        scene = await set_the_scene(anode, new, caplog)
        before = await state(anode, scene)
        for (method, path), allowed in GUARDED.items():
            if method != "POST":
                continue
            concrete, form = scene.request(method, path)
            for role in allowed:
                other = scene.people[Role.ADMIN if role != Role.ADMIN else Role.STAFF].token
                for csrf in (None, "", "x" * 43, other):
                    sent = form if csrf is None else {**form, "csrf": csrf}
                    answer = await scene.people[role].post(concrete, sent)
                    assert (answer.status, answer.code) == (403, "auth.csrf"), (path, role, csrf)
        assert await state(anode, scene) == before
        # The same form with the token is accepted: the refusals above were the token's doing.
        redeemed = await scene.people[Role.STAFF].signed_post(
            "/staff/redeem", {"code": scene.payload, "amount": "1000"}
        )
        assert redeemed.status == 200 and 'data-outcome="accepted"' in redeemed.text
        assert await balance(anode, scene.voucher_id) == before["balance"] - 1000


async def test_sign_in_forms_need_the_pre_sign_in_cookie(anode: AsyncNode) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers(anode) as new:
        for page in ("/staff/login", "/admin/login"):
            no_cookie = new()
            form = {"login": "yamada", "password": PASSWORD, "csrf": "a" * 43}
            answer = await no_cookie.post(page, form)
            assert (answer.status, answer.code) == (403, "auth.csrf")
            assert not no_cookie.session_cookie()
        with_cookie = new()
        shown = await with_cookie.get("/staff/login")
        for csrf in (None, "b" * 43):
            form = {"login": "yamada", "password": PASSWORD}
            answer = await with_cookie.post("/staff/login", form | ({"csrf": csrf} if csrf else {}))
            assert (answer.status, answer.code) == (403, "auth.csrf")
            assert not with_cookie.session_cookie()
        form = {"login": "yamada", "password": PASSWORD, "csrf": shown.csrf}
        assert (await with_cookie.post("/staff/login", form)).status == 303


async def test_the_admin_account_api_needs_the_bearer_token(anode: AsyncNode) -> None:
    await ok(anode, "PUT", "admin/password", {"password": ADMIN_PASSWORD})
    store_id = await add_store(anode, "本店")
    async with browsers(anode) as new:
        admin = new()
        assert (await admin.sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303
        attempts = [
            ("PUT", "/api/v1/admin/password", {"password": "taken over 1234"}),
            ("POST", "/api/v1/staff", {"name": "mole", "stores": [store_id], "password": PASSWORD}),
            ("GET", "/api/v1/staff", None),
        ]
        for method, path, body in attempts:
            for person in (new(), admin):  # no cookie, and the admin's web session cookie
                url = anode.base_url + path
                async with person.http.request(method, url, json=body) as response:
                    answer = await response.json()
                assert response.status == 401, (path, answer)
                assert answer["error"]["code"] == "auth.missing_token"
        assert (await ok(anode, "GET", "staff"))["staff"] == []
        assert (await new().sign_in("/admin/login", "admin", ADMIN_PASSWORD)).status == 303


async def wrong_password(person: Person, login: str) -> Page:
    form_page = await person.get("/staff/login")
    form = {"login": login, "password": "not the password", "csrf": form_page.csrf}
    return await person.post("/staff/login", form)


async def test_five_wrong_passwords_lock_the_name_for_fifteen_minutes(
    anode: AsyncNode, clock: FakeClock
) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers(anode) as new:
        guesser = new()
        for _ in range(5):
            answer = await wrong_password(guesser, "yamada")
            assert (answer.status, answer.code) == (401, "auth.bad_credentials")
        # Now even the right password, from another browser, waits.
        locked = await new().sign_in("/staff/login", "yamada", PASSWORD)
        assert (locked.status, locked.code) == (429, "auth.throttled")
        clock.advance(minutes=16)
        assert (await new().sign_in("/staff/login", "yamada", PASSWORD)).status == 303


async def test_thirty_failures_from_one_address_lock_every_name(anode: AsyncNode) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers(anode) as new:
        guesser = new()
        for n in range(30):
            answer = await wrong_password(guesser, f"guess{n}")
            assert (answer.status, answer.code) == (401, "auth.bad_credentials"), n
        locked = await new().sign_in("/staff/login", "yamada", PASSWORD)
        assert (locked.status, locked.code) == (429, "auth.throttled")


async def test_parallel_guesses_get_no_more_than_five_tries(anode: AsyncNode) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers(anode) as new:
        guessers = [new() for _ in range(20)]
        forms = [(g, (await g.get("/staff/login")).csrf) for g in guessers]
        answers = await asyncio.gather(
            *(
                g.post("/staff/login", {"login": "yamada", "password": "no", "csrf": csrf})
                for g, csrf in forms
            )
        )
        tried = [a for a in answers if a.code == "auth.bad_credentials"]
        assert len(tried) <= 5, f"{len(tried)} passwords were tried"


async def test_staff_work_only_at_their_own_stores(anode: AsyncNode) -> None:
    s1, s2 = await add_store(anode, "本店"), await add_store(anode, "駅前店")
    voucher_id = str((await ok(anode, "POST", "vouchers", {"amount": 10_000}))["voucher_id"])
    async with browsers(anode) as new:
        yamada = await counter(anode, new, "yamada", [s1])
        sato = await counter(anode, new, "sato", [s2])
        at_s2 = await redeem_at_counter(anode, sato, voucher_id)
        refused = await yamada.signed_post("/staff/void", {"redemption_id": at_s2})
        assert (refused.status, refused.code) == (403, "auth.forbidden")
        assert not (await ok(anode, "GET", f"redemptions/{at_s2}"))["voided"]
        assert await balance(anode, voucher_id) == 9_500
        moved = await yamada.signed_post("/staff/store", {"store_id": s2})
        assert (moved.status, moved.code) == (403, "auth.forbidden")
        at_s1 = await redeem_at_counter(anode, yamada, voucher_id)
        assert (await ok(anode, "GET", f"redemptions/{at_s1}"))["store_id"] == s1
        # Sato may void his own: the refusal above was about the store.
        voided = await sato.signed_post("/staff/void", {"redemption_id": at_s2})
        assert voided.status == 200 and 'data-outcome="voided"' in voided.text
        assert await balance(anode, voucher_id) == 9_500


async def test_ten_wrong_codes_pause_code_entry(anode: AsyncNode, clock: FakeClock) -> None:
    async with browsers(anode) as new:
        staff, voucher_id, right = await at_the_counter(anode, new)
        for code in wrong_codes(right, 10):
            answer = await staff.signed_post("/staff/redeem", {"code": code, "amount": "500"})
            assert (answer.status, answer.code) == (409, "voucher.code_invalid")
        paused = await staff.signed_post("/staff/redeem", {"code": right, "amount": "500"})
        assert (paused.status, paused.code) == (429, "auth.throttled")
        assert await balance(anode, voucher_id) == 10_000
        clock.advance(minutes=6)
        await redeem_at_counter(anode, staff, voucher_id)
        assert await balance(anode, voucher_id) == 9_500


async def test_parallel_wrong_codes_get_no_more_than_ten_tries(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        staff, _, right = await at_the_counter(anode, new)
        answers = await asyncio.gather(
            *(
                staff.signed_post("/staff/redeem", {"code": code, "amount": "500"})
                for code in wrong_codes(right, 30)
            )
        )
        tried = [a for a in answers if a.code == "voucher.code_invalid"]
        assert len(tried) <= 10, f"{len(tried)} codes were tried"


async def test_a_wrong_code_is_refused_at_the_confirm_step(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        staff, _, right = await at_the_counter(anode, new)
        form = {"code": wrong_codes(right, 1)[0], "amount": "500"}
        answer = await staff.signed_post("/staff/confirm", form)
        assert "¥10,000" not in answer.text
        assert (answer.status, answer.code) == (409, "voucher.code_invalid")


async def test_signing_in_again_does_not_reset_the_code_count(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        staff, _, right = await at_the_counter(anode, new)
        for code in wrong_codes(right, 10):
            await staff.signed_post("/staff/redeem", {"code": code, "amount": "500"})
        again = new()
        assert (await again.sign_in("/staff/login", "yamada", PASSWORD)).status == 303
        answer = await again.signed_post("/staff/redeem", {"code": right, "amount": "500"})
        assert (answer.status, answer.code) == (429, "auth.throttled")


async def test_session_cookie_is_http_only_lax_and_dies_at_sign_out(anode: AsyncNode) -> None:
    await add_staff(anode, "yamada", [await add_store(anode, "本店")])
    async with browsers(anode) as new:
        staff = new()
        signed_in = await staff.sign_in("/staff/login", "yamada", PASSWORD)
        cookie = next(c for c in signed_in.cookies if c.startswith("kippu_session="))
        flags = {f.strip().lower() for f in cookie.split(";")[1:]}
        assert {"httponly", "samesite=lax", "path=/", "max-age=43200"} <= flags, cookie
        old = staff.session_cookie()
        replay = new()
        replay.headers["Cookie"] = f"kippu_session={old}"
        assert (await replay.follow("/staff")).status == 200  # the copy works while signed in
        out = await staff.signed_post("/logout")
        assert (out.status, out.location) == (303, "/staff/login")
        assert not staff.session_cookie()
        gone = await replay.get("/staff")
        # The page says the session ended (the cookie it sent is no longer one).
        assert (gone.status, gone.location) == (303, "/staff/login?expired=1&next=/staff")
