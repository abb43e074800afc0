"""The console's stores and staff (店舗・スタッフ): add stores; add, re-assign, reset, disable staff."""

from __future__ import annotations

from aiohttp import web

from node.clock import new_id
from node.errors import ValidationError
from node.ledger import operations, queries
from node.ledger.model import Store
from node.runtime import Node
from node.text import require_printable
from node.web import accounts, passwords, staff_tables
from node.web.admin.frame import admin_page, after_action
from node.web.guard import form_values, read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/stores"
MAX_STORE_NAME = 100


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    reader = node.require_reader()
    stores = await queries.list_stores(reader)
    staff = await staff_tables.list_staff(reader, int(node.clock.now().timestamp()))
    names = {s.store_id: s.name for s in stores}
    counts = {s.store_id: sum(s.store_id in m.store_ids for m in staff) for s in stores}
    context = {"stores": stores, "staff": staff, "store_names": names, "staff_counts": counts}
    return admin_page(request, node, session, "admin_stores.html", context, section=PAGE)


def _text(form: dict[str, str], key: str, max_chars: int) -> str:
    value = form.get(key, "").strip()
    if not value or len(value) > max_chars:
        raise ValidationError(
            f"`{key}` must be 1-{max_chars} characters.", field=key, max_chars=max_chars
        )
    return require_printable(value, key)


async def _new_password(form: dict[str, str]) -> str:
    password = form.get("password", "")
    problem = passwords.check_strength(password)
    if problem:
        raise ValidationError(
            problem,
            field="password",
            min_chars=passwords.MIN_LENGTH,
            max_chars=passwords.MAX_LENGTH,
        )
    return await passwords.hashed(password)


@requires(Role.ADMIN)
async def add_store(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    name = _text(await read_form(request), "name", MAX_STORE_NAME)
    store = Store(new_id(node.rng, "st"), name, node.clock.now())
    await node.require_writer().submit(operations.add_store(store))
    node.share_stores_soon()
    return after_action(PAGE, "done_ss_store_added")


@requires(Role.ADMIN)
async def add_staff(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    name = accounts.check_login(form.get("name", ""))
    stores = await form_values(request, "stores")
    hashed = await _new_password(form)
    await node.require_writer().submit(
        accounts.add_staff(new_id(node.rng, "ac"), name, hashed, stores, node.clock.now())
    )
    return after_action(PAGE, "done_ss_staff_added")


@requires(Role.ADMIN)
async def change_stores(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    stores = await form_values(request, "stores")
    await node.require_writer().submit(
        accounts.set_stores(request.match_info["account_id"], stores)
    )
    return after_action(PAGE, "done_ss_stores_changed")


@requires(Role.ADMIN)
async def reset_password(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    hashed = await _new_password(await read_form(request))
    await node.require_writer().submit(
        staff_tables.set_password(request.match_info["account_id"], hashed)
    )
    return after_action(PAGE, "done_ss_password_reset")


def _switch(disabled: bool, done: str) -> web.RouteDef:
    @requires(Role.ADMIN)
    async def handler(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        await node.require_writer().submit(
            staff_tables.set_disabled(request.match_info["account_id"], disabled, node.clock.now())
        )
        return after_action(PAGE, done)

    action = "disable" if disabled else "enable"
    return web.post(f"/admin/staff/{{account_id}}/{action}", handler)


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE, add_store),
        web.post("/admin/staff", add_staff),
        web.post("/admin/staff/{account_id}/stores", change_stores),
        web.post("/admin/staff/{account_id}/password", reset_password),
        _switch(True, "done_ss_disabled"),
        _switch(False, "done_ss_enabled"),
    ]
