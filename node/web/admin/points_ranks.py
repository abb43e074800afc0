"""The console's member ranks (会員ランク): the rank table in force and the versions scheduled
after it, a new version set through a review step that states the rule (a member moves up at
once, and down only at the recompute day), and the recompute run now after a confirm step. The
same actions as the admin API and `kippu rank` (node/points/rank_actions.py)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.errors import InvalidPoints, InvalidRankTable
from node.points import rank_actions, rank_queries
from node.points.rank_core import table_in_force
from node.points.rank_model import MAX_LEVELS, SpendWindow
from node.runtime import Node
from node.web.actors import actor_labels, recorded_actor
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.admin.points import PAGE
from node.web.admin.points_forms import MAX_FIELD_CHARS, local_moment, whole
from node.web.guard import read_form, requires
from node.web.i18n import translator
from node.web.model import Role, Session
from node.web.pages import language

RANKS = f"{PAGE}/ranks"
LEVEL_ROWS = 6  # the form's rows; the API takes up to MAX_LEVELS
TABLE_FIELDS = ("window", "recompute", "effective_from")
_RAN = ("members", "changed", "floors_ended")  # what the recompute's notice counts


@requires(Role.ADMIN)
async def overview(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/points/ranks: the table in force, the versions to come, the set form."""
    reader = node.require_reader()
    now = node.clock.now()
    versions = await rank_queries.rank_tables(reader)
    current = table_in_force(versions, now)
    scheduled = [v for v in versions if v.effective_from > now]
    setters = {v.created_by for v in scheduled} | ({current.created_by} if current else set())
    context: dict[str, Any] = {
        "table": current,
        "scheduled": scheduled,
        "windows": [str(w) for w in SpendWindow],
        "rows": range(1, LEVEL_ROWS + 1),
        "actors": await actor_labels(reader, setters, translator(language(request))),
        "ran": _ran(request),
        "tab": RANKS,
    }
    return admin_page(request, node, session, "admin_points_ranks.html", context, section=PAGE)


def _ran(request: web.Request) -> dict[str, int] | None:
    """The counts the recompute's redirect carries, shown beside its notice (digits only)."""
    if request.query.get("done") != "done_rnk_recomputed":
        return None
    found = {name: request.query.get(name, "") for name in _RAN}
    if not all(v.isascii() and v.isdigit() and len(v) <= 9 for v in found.values()):
        return None
    return {name: int(value) for name, value in found.items()}


def _levels(form: dict[str, str]) -> list[dict[str, object]]:
    """The rows typed, lowest first; a row left wholly empty is no level. Each number is read
    as the points forms read them; the rules on the levels are rank_core's (field `levels`)."""
    levels: list[dict[str, object]] = []
    for row in range(1, LEVEL_ROWS + 1):
        name = form.get(f"level_name_{row}", "")[:MAX_FIELD_CHARS].strip()
        typed = {k: form.get(f"level_{k}_{row}", "").strip() for k in ("min_yen", "pct")}
        if not name and not any(typed.values()):
            continue
        try:
            spend, pct = whole(form, f"level_min_yen_{row}"), whole(form, f"level_pct_{row}")
        except InvalidPoints:
            raise InvalidRankTable(
                f"rank {row}: the minimum spend and the multiplier are whole numbers.",
                field="levels",
            ) from None
        levels.append({"name": name, "min_spend_yen": spend, "multiplier_pct": pct})
    if not levels:
        raise InvalidRankTable(f"`levels` must list 1-{MAX_LEVELS} ranks.", field="levels")
    return levels


def _sent(form: dict[str, str]) -> dict[str, str]:
    """What the review carries to the setting, as typed (hidden fields)."""
    names = list(TABLE_FIELDS) + [
        f"level_{k}_{row}" for row in range(1, LEVEL_ROWS + 1) for k in ("name", "min_yen", "pct")
    ]
    return {name: form.get(name, "")[:MAX_FIELD_CHARS] for name in names if form.get(name)}


def _table_args(form: dict[str, str], node: Node) -> tuple[str, str, object, str | None]:
    return (
        form.get("window", "")[:40],
        form.get("recompute", "")[:10].strip(),
        _levels(form),
        local_moment(form, "effective_from", node.config.zone),
    )


@requires(Role.ADMIN)
@shown_inline("pt-ranks", overview)
async def review_table(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/ranks/review: the new table, from when, and the rule it follows."""
    form = await read_form(request)
    window, recompute, levels, effective_from = _table_args(form, node)
    table = rank_actions.checked_table(
        node, window, recompute, levels, effective_from, recorded_actor(session)
    )
    context = {
        "table": table,
        "is_now": effective_from is None,
        "sent": _sent(form),
        "tab": RANKS,
    }
    return admin_page(
        request, node, session, "admin_points_ranks_confirm.html", context, section=PAGE
    )


@requires(Role.ADMIN)
@shown_inline("pt-ranks", overview)
async def set_table(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/ranks: the reviewed version recorded (append-only)."""
    form = await read_form(request)
    window, recompute, levels, effective_from = _table_args(form, node)
    await rank_actions.set_table(
        node, window, recompute, levels, effective_from, recorded_actor(session)
    )
    return after_action(RANKS, "done_rnk_table_set")


@requires(Role.ADMIN)
async def confirm_recompute(
    request: web.Request, node: Node, session: Session
) -> web.StreamResponse:
    """GET /admin/points/ranks/recompute: what running it now does, asked once more."""
    context = {"tab": RANKS}
    return admin_page(
        request, node, session, "admin_points_ranks_recompute.html", context, section=PAGE
    )


@requires(Role.ADMIN)
async def recompute(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """POST /admin/points/ranks/recompute: what is due run now; back with how many changed."""
    await read_form(request)
    ran = await rank_actions.recompute(node, recorded_actor(session))
    return after_action(RANKS, "done_rnk_recomputed", **{k: str(ran[k]) for k in _RAN})


def routes() -> list[web.RouteDef]:
    return [
        web.get(RANKS, overview),
        web.post(f"{RANKS}/review", review_table),
        web.post(RANKS, set_table),
        web.get(f"{RANKS}/recompute", confirm_recompute),
        web.post(f"{RANKS}/recompute", recompute),
    ]
