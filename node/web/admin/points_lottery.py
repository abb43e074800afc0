"""The console's point lotteries (ポイント抽選): the list, the set-up form (a prize over the
景品表示法 limits refused beside its field, in Japanese), and a lottery's page: its terms and
limits, the commitment published at set-up, the entries' hash published at the close, the seed
and winners after the draw, the buttons for each step and the draw file to download. The same
use cases as the admin API (node/points/lottery_actions.py)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from node.errors import InvalidPoints, LotteryDrawn
from node.moments import MAX_MOMENT_CHARS, parse_moment
from node.points import lottery_actions
from node.points.lottery_model import LotteryTerms, Prize
from node.runtime import Node
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.points_exchange import whole_number
from node.web.guard import read_form, requires
from node.web.model import Role, Session
from node.web.points_pages import local_iso

PAGE = "/admin/points/lotteries"
NAV = "/admin/points"  # one navigation entry (ポイント) for the program, exchange and lotteries
PRIZE_ROWS = 3


def _local_moment(form: dict[str, str], key: str, zone: ZoneInfo) -> datetime:
    """A datetime-local field (2027-03-01T10:00) read in the node's zone."""
    return parse_moment(form.get(key, "")[:MAX_MOMENT_CHARS], key, zone=zone, error=InvalidPoints)


def _prizes(form: dict[str, str]) -> tuple[Prize, ...]:
    prizes = []
    for i in range(PRIZE_ROWS):
        name = form.get(f"prize_name_{i}", "")[:200]
        value, count = form.get(f"prize_value_{i}", ""), form.get(f"prize_count_{i}", "")
        if not (name.strip() or value.strip() or count.strip()):
            continue
        if not name.strip():
            raise InvalidPoints(field=f"prize_name_{i}")
        prizes.append(
            Prize(
                name,
                whole_number(form, f"prize_value_{i}") or 0,
                whole_number(form, f"prize_count_{i}") or 0,
            )
        )
    if not prizes:
        raise InvalidPoints(field="prize_name_0")
    return tuple(prizes)


def terms_from_form(form: dict[str, str], zone: ZoneInfo) -> LotteryTerms:
    return LotteryTerms(
        name=form.get("name", "")[:200],
        entry_points=whole_number(form, "entry_points") or 0,
        max_entries=whole_number(form, "max_entries") or 1,
        opens_at=_local_moment(form, "opens_at", zone),
        closes_at=_local_moment(form, "closes_at", zone),
        related_sales_yen=whole_number(form, "related_sales_yen") or 0,
        prizes=_prizes(form),
    )


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    context: dict[str, Any] = {
        "lotteries": (await lottery_actions.list_lotteries(node))["lotteries"],
        "rows": range(PRIZE_ROWS),
        "at": local_iso(node.config.zone),
    }
    return admin_page(request, node, session, "admin_points_lotteries.html", context, section=NAV)


@requires(Role.ADMIN)
@shown_inline("add-lottery", overview)
async def add(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    terms = terms_from_form(await read_form(request), node.config.zone)
    added = await lottery_actions.add_lottery(node, terms, f"admin:{session.account.login}")
    return after_action(f"{PAGE}/{added['lottery_id']}", "done_pl_added")


@requires(Role.ADMIN)
async def detail(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    shown = await lottery_actions.show_lottery(node, request.match_info["lottery_id"])
    context = {"lottery": shown, "at": local_iso(node.config.zone)}
    return admin_page(request, node, session, "admin_points_lottery.html", context, section=NAV)


def _step(name: str) -> Any:
    @requires(Role.ADMIN)
    @shown_inline("lottery-steps", detail)
    async def run(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
        await read_form(request)
        lottery_id = request.match_info["lottery_id"]
        if name == "close":
            await lottery_actions.close(node, lottery_id)
        elif name == "draw":
            await lottery_actions.draw(node, lottery_id)
        else:
            await lottery_actions.cancel(node, lottery_id, f"admin:{session.account.login}")
        return after_action(f"{PAGE}/{lottery_id}", f"done_pl_{name}")

    return run


@requires(Role.ADMIN)
async def confirm_cancel(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """Calling a lottery off refunds every entry and cannot be undone: said once more first."""
    shown = await lottery_actions.show_lottery(node, request.match_info["lottery_id"])
    if shown["state"] == "drawn":
        raise LotteryDrawn(lottery_id=shown["lottery_id"])
    context = {
        "title": "pl_cancel",
        "warning": "pl_cancel_warning",
        "facts": [("pl_name", shown["name"]), ("pl_entries", str(shown["entry_count"]))],
        "action": f"{PAGE}/{shown['lottery_id']}/cancel",
        "back": f"{PAGE}/{shown['lottery_id']}",
    }
    return admin_page(request, node, session, "admin_points_confirm.html", context, section=NAV)


@requires(Role.ADMIN)
async def draw_file(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """The draw file, for `kippu points verify-draw` (and for publishing beside the result)."""
    lottery_id = request.match_info["lottery_id"]
    document = await lottery_actions.export(node, lottery_id)
    return web.Response(
        text=json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="draw-{lottery_id}.json"',
            "Cache-Control": "no-store",
        },
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get(PAGE, overview),
        web.post(PAGE, add),
        web.get(PAGE + "/{lottery_id}", detail),
        *(
            web.post(PAGE + "/{lottery_id}/" + step, _step(step))
            for step in ("close", "draw", "cancel")
        ),
        web.get(PAGE + "/{lottery_id}/cancel", confirm_cancel),
        web.get(PAGE + "/{lottery_id}/draw-file", draw_file),
    ]
