"""The console's partners (提携先): our fingerprint to read aloud, the partner list, invitations,
joining, the manual registration, suspend/resume/remove, the exposure limit, a ping, and the
ways out of a parked message (re-sign, drop a registration, rewind).

Each action is the JSON API's own (node/peering/actions.py, node/settlement/actions.py for the
limit), so the two cannot drift apart."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

import segno
from aiohttp import web
from markupsafe import Markup

from node.errors import InvalidAmount, ValidationError
from node.http import input as body_input
from node.peering import actions
from node.peering.actions import MAX_INVITE_HOURS
from node.runtime import Node
from node.settlement import actions as settlement_actions
from node.web.admin.frame import admin_page, after_action
from node.web.amounts import typed_yen
from node.web.guard import read_form, requires
from node.web.model import Role, Session

PAGE = "/admin/partners"
DEFAULT_INVITE_HOURS = 24


@dataclass(frozen=True)
class Us:
    """What a partner's admin compares on the phone before trusting this node."""

    name: str
    node_id: str
    fingerprint: str
    key_fingerprint: str
    url: str


@dataclass(frozen=True)
class ShownInvite:
    text: str
    expires_at: datetime
    qr_svg: Markup | None


def _us(node: Node) -> Us:
    identity = node.identity
    return Us(
        node.config.node.name,
        identity.node_id,
        identity.fingerprint,
        identity.key_fingerprint,
        node.config.node.public_url,
    )


async def _overview(
    request: web.Request, node: Node, session: Session, invite: ShownInvite | None
) -> web.Response:
    context = {
        "us": _us(node),
        "partners": await actions.partner_views(node),
        "invite": invite,
        "default_hours": DEFAULT_INVITE_HOURS,
        "max_hours": MAX_INVITE_HOURS,
    }
    return admin_page(request, node, session, "admin_partners.html", context, section=PAGE)


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _overview(request, node, session, None)


def _hours(text: str) -> int:
    cleaned = text.strip()
    if not cleaned.isdecimal() or len(cleaned) > 4:
        raise ValidationError(
            f"`hours` must be 1..{MAX_INVITE_HOURS}.", field="hours", maximum=MAX_INVITE_HOURS
        )
    return int(cleaned)


def _limit_yen(text: str) -> int | None:
    """Whole yen, 0 or more; an empty field means no limit."""
    if not text.strip():
        return None
    message = "The limit must be a whole number of yen, or empty for no limit."
    limit = typed_yen(text, message, minimum=0)
    if limit > body_input.MAX_AMOUNT_YEN:
        raise InvalidAmount(message)
    return limit


def _qr_svg(text: str) -> Markup | None:
    """The invitation as an inline SVG QR code, or None when it is too long for one."""
    try:
        code = segno.make(text, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    # segno draws with SVG attributes only: no style attribute, which the pages' CSP forbids.
    # Its markup holds only modules and the id given here, no text of the invitation.
    svg = code.svg_inline(scale=4, omitsize=True, light="#fff", svgid="invite-qr-svg")
    return Markup(svg)  # noqa: S704


@requires(Role.ADMIN)
async def invite(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Answered with the page itself, not a redirect: the invitation carries a one-time secret
    that must not travel in an address (logs, history), and the node keeps only its hash, so
    this answer is the one place it can be shown."""
    hours = _hours((await read_form(request)).get("hours", ""))
    text, expires_at = await actions.make_invite(node, hours)
    qr_svg = await asyncio.to_thread(_qr_svg, text)  # milliseconds of CPU: off the event loop
    return await _overview(request, node, session, ShownInvite(text, expires_at, qr_svg))


def _partner_path(node_id: str) -> str:
    return f"{PAGE}/{node_id}"


@requires(Role.ADMIN)
async def join(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    view = await actions.join_partner(node, (await read_form(request)).get("invite", ""))
    done = "done_pt_join_queued" if view.queued_messages else "done_pt_joined"
    return after_action(_partner_path(view.peer.node_id), done)


@requires(Role.ADMIN)
async def add(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    filled = {key: value for key, value in form.items() if value.strip()}
    view = await actions.add_partner(
        node,
        body_input.required_text(filled, "node_id"),
        body_input.required_text(filled, "url"),
        body_input.text(filled, "name", required=False),
        _limit_yen(form.get("limit", "")),
    )
    return after_action(_partner_path(view.peer.node_id), "done_pt_added")


@requires(Role.ADMIN)
async def partner(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    view = await actions.partner_view(node, request.match_info["node_id"])
    context = {"p": view}
    return admin_page(request, node, session, "admin_partner.html", context, section=PAGE)


def _status_route(action: str, done: str) -> web.RouteDef:
    @requires(Role.ADMIN)
    async def handler(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        form = await read_form(request)
        if action == "remove" and form.get("understood") != "yes":
            raise ValidationError(
                "Tick the box to confirm that you mean to remove the partner.", field="understood"
            )
        view = await actions.change_partner_status(node, request.match_info["node_id"], action)
        if action == "remove":
            return after_action(PAGE, done)
        return after_action(_partner_path(view.peer.node_id), done)

    return web.post(f"{PAGE}/{{node_id}}/{action}", handler)


@requires(Role.ADMIN)
async def set_limit(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    limit = _limit_yen((await read_form(request)).get("limit", ""))
    node_id = request.match_info["node_id"].strip().upper()
    await settlement_actions.set_partner_limit(node, node_id, limit)
    done = "done_pt_limit_cleared" if limit is None else "done_pt_limit_set"
    return after_action(_partner_path(node_id), done)


@requires(Role.ADMIN)
async def ping(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    view = await actions.ping_partner(node, request.match_info["node_id"])
    done = "done_pt_ping_delivered" if view.queued_messages == 0 else "done_pt_ping_queued"
    return after_action(_partner_path(view.peer.node_id), done)


def _seq(text: str) -> int:
    if not text.isdecimal() or len(text) > 19 or int(text) < 1:
        raise ValidationError("The message's position must be a whole number, 1 or more.")
    return int(text)


@requires(Role.ADMIN)
async def resign(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    seq = _seq(request.match_info["seq"])
    view = await actions.resign_parked(node, request.match_info["node_id"], seq)
    done = "done_pt_resigned_delivered" if not view.parked else "done_pt_resigned_parked"
    if view.queued_messages and not view.parked:
        done = "done_pt_resigned_queued"
    return after_action(_partner_path(view.peer.node_id), done)


@requires(Role.ADMIN)
async def drop(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    seq = _seq(request.match_info["seq"])
    view = await actions.drop_parked(node, request.match_info["node_id"], seq)
    if view.peer.status == "removed":
        return after_action(PAGE, "done_pt_dropped_removed")
    return after_action(_partner_path(view.peer.node_id), "done_pt_dropped")


@requires(Role.ADMIN)
async def rewind(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    from_seq = _seq(form.get("from_seq", "").strip())
    view = await actions.rewind_channel(node, request.match_info["node_id"], from_seq)
    return after_action(_partner_path(view.peer.node_id), "done_pt_rewound")


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(f"{PAGE}/invite", invite),
        web.post(f"{PAGE}/join", join),
        web.post(f"{PAGE}/add", add),
        web.get(f"{PAGE}/{{node_id}}", partner),
        _status_route("suspend", "done_pt_suspended"),
        _status_route("resume", "done_pt_resumed"),
        _status_route("remove", "done_pt_removed"),
        web.post(f"{PAGE}/{{node_id}}/limit", set_limit),
        web.post(f"{PAGE}/{{node_id}}/ping", ping),
        web.post(f"{PAGE}/{{node_id}}/parked/{{seq}}/resign", resign),
        web.post(f"{PAGE}/{{node_id}}/parked/{{seq}}/drop", drop),
        web.post(f"{PAGE}/{{node_id}}/rewind", rewind),
    ]
