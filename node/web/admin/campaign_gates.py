"""The console's pages of a lottery campaign (/admin/campaigns/<id>/lottery: set up the draw,
close the entries, draw with the secret or a beacon value, each round's winners and claims, the
draw file) and of a survey campaign (/admin/campaigns/<id>/survey: the questionnaire, typed one
question a line, and the answers as CSV). The same actions as the admin API and `kippu campaign`
(node/campaigns/lottery_actions.py, survey_actions.py)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from node.campaigns import actions, lottery_actions, survey_actions
from node.campaigns.gate_model import SeedMode
from node.errors import InvalidLottery, InvalidSurvey, LotteryNotSetUp
from node.moments import parse_moment
from node.runtime import Node
from node.web.actors import recorded_actor
from node.web.admin.campaigns import ID, PAGE, local_at, state_of
from node.web.admin.campaigns_status import campaign_tabs
from node.web.admin.form_errors import shown_inline
from node.web.admin.frame import admin_page, after_action
from node.web.guard import read_form, requires
from node.web.model import Role, Session

LOTTERY = f"{PAGE}/{ID}/lottery"
SURVEY = f"{PAGE}/{ID}/survey"
KIND_WORDS = {"single": "single", "multiple": "multiple", "text": "text"}


async def _frame(request: web.Request, node: Node) -> dict[str, Any]:
    campaign_id = request.match_info["campaign_id"]
    campaign = await actions.campaign_status(node, campaign_id)
    return {
        "c": campaign,
        "state": state_of(campaign, node.clock.now()),
        "at": local_at(node),
        "tabs": campaign_tabs(request, campaign_id),
        "tab": request.path,
    }


@requires(Role.ADMIN)
async def lottery_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/{campaign_id}/lottery: the set-up form, or the draw's state."""
    context = await _frame(request, node)
    try:
        lottery = await lottery_actions.lottery_status(node, request.match_info["campaign_id"])
    except LotteryNotSetUp:
        lottery = None
    context["lottery"] = lottery
    return admin_page(request, node, session, "admin_campaign_lottery.html", context, section=PAGE)


def _text(form: dict[str, str], name: str) -> str | None:
    return form.get(name, "").strip() or None


def _whole(form: dict[str, str], name: str) -> object:
    text = form.get(name, "").strip()
    if not text:
        return None
    if not text.isdecimal():
        raise InvalidLottery(f"`{name}` is a whole number.", field=name)
    return int(text)


@requires(Role.ADMIN)
@shown_inline("lottery-setup", lottery_page)
async def set_up(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    until = _text(form, "entries_until")
    if until is None:
        raise InvalidLottery("Give the end of applications.", field="entries_until")
    entries_until = parse_moment(
        until, "entries_until", zone=node.config.zone, error=InvalidLottery
    ).isoformat()
    mode = form.get("seed_mode", "")
    await lottery_actions.set_up(
        node,
        campaign_id,
        mode,
        entries_until,
        _whole(form, "claim_days"),
        commitment=_text(form, "commitment") if mode == SeedMode.SECRET else None,
        beacon_name=_text(form, "beacon_name") if mode == SeedMode.BEACON else None,
        beacon_round=_whole(form, "beacon_round") if mode == SeedMode.BEACON else None,
        actor=recorded_actor(session),
    )
    return after_action(f"{PAGE}/{campaign_id}/lottery", "done_cpg_set_up")


@requires(Role.ADMIN)
@shown_inline("lottery-close", lottery_page)
async def close_entries(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    await lottery_actions.close_entries(node, campaign_id)
    return after_action(f"{PAGE}/{campaign_id}/lottery", "done_cpg_closed")


@requires(Role.ADMIN)
@shown_inline("lottery-draw", lottery_page)
async def draw(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    await lottery_actions.draw_round(
        node,
        campaign_id,
        secret=_text(form, "secret"),
        beacon_round=_whole(form, "beacon_round"),
        beacon_value=_text(form, "beacon_value"),
        actor=recorded_actor(session),
    )
    return after_action(f"{PAGE}/{campaign_id}/lottery", "done_cpg_drawn")


@requires(Role.ADMIN)
async def draw_file(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET .../lottery/draw.json: the file to publish, for `kippu campaign verify-draw`."""
    campaign_id = request.match_info["campaign_id"]
    document = await lottery_actions.draw_file(node, campaign_id)
    return web.Response(
        text=json.dumps(document, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="draw-{campaign_id}.json"'},
    )


def question_lines(questions: list[dict[str, Any]]) -> str:
    """The questionnaire as the form shows it: one question a line (see parse_lines)."""
    lines = []
    for q in questions:
        mark = "*" if q["required"] else ""
        tail = str(q["max_length"]) if q["kind"] == "text" else " / ".join(q["options"])
        lines.append(f"{mark}{q['kind']}: {q['prompt']}: {tail}")
    return "\n".join(lines)


def parse_lines(text: str) -> list[dict[str, Any]]:
    """`[*]single|multiple|text: prompt: options joined by / (or a text's max length)`, one
    question a line; `*` marks a required question."""
    questions: list[dict[str, Any]] = []
    for number, raw in enumerate((line for line in text.splitlines() if line.strip()), start=1):
        line = raw.strip()
        required = line.startswith("*")
        kind, _, rest = line.lstrip("*").partition(":")
        prompt, _, tail = rest.rpartition(":")
        kind = kind.strip()
        if kind not in KIND_WORDS or not prompt.strip():
            raise InvalidSurvey(
                f"Line {number}: write kind: question: options (or a text's length).",
                field="questions",
            )
        question: dict[str, Any] = {"kind": kind, "prompt": prompt.strip(), "required": required}
        if kind == "text":
            length = tail.strip()
            question["max_length"] = int(length) if length.isdecimal() else 0
        else:
            question["options"] = [o.strip() for o in tail.split("/") if o.strip()]
        questions.append(question)
    return questions


@requires(Role.ADMIN)
async def survey_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    """GET /admin/campaigns/{campaign_id}/survey: the questionnaire and the answers."""
    context = await _frame(request, node)
    survey = await survey_actions.survey(node, request.match_info["campaign_id"])
    context["survey"] = survey
    context["lines"] = question_lines(survey["questions"])
    return admin_page(request, node, session, "admin_campaign_survey.html", context, section=PAGE)


@requires(Role.ADMIN)
@shown_inline("survey-set", survey_page)
async def set_survey(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    form = await read_form(request)
    campaign_id = request.match_info["campaign_id"]
    await survey_actions.define(node, campaign_id, parse_lines(form.get("questions", "")))
    return after_action(f"{PAGE}/{campaign_id}/survey", "done_cpg_survey_set")


@requires(Role.ADMIN)
async def answers_csv(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    campaign_id = request.match_info["campaign_id"]
    data = await survey_actions.answers_csv(node, campaign_id)
    return web.Response(
        body=data,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="survey-{campaign_id}.csv"'},
    )


def routes() -> list[web.RouteDef]:
    return [
        web.get(LOTTERY, lottery_page),
        web.post(LOTTERY, set_up),
        web.post(f"{LOTTERY}/close", close_entries),
        web.post(f"{LOTTERY}/draw", draw),
        web.get(f"{LOTTERY}/draw.json", draw_file),
        web.get(SURVEY, survey_page),
        web.post(SURVEY, set_survey),
        web.get(f"{SURVEY}/answers.csv", answers_csv),
    ]
