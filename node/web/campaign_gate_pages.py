"""A resident's lottery and survey campaigns in the wallet, in the reader's language:
/wallet/campaigns/<id>/lottery (apply, see the standing: applied, won with the claim button,
claimed, not won) and /wallet/campaigns/<id>/survey (answer once; the coupon comes with the
answer). The rules are node/campaigns/lottery_actions.py and survey_actions.py, as for the API."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import actions, lottery_actions, survey_actions, survey_queries
from node.campaigns.gate_model import Answer, QuestionKind
from node.errors import KippuError
from node.runtime import Node
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.guard import form_values, read_form, requires
from node.web.model import Role, Session
from node.web.wallet_pages import customer_of, shown_account

HOME = "/wallet/campaigns"


def _campaign_id(request: web.Request) -> str:
    return request.match_info["campaign_id"]


async def _lottery_page(
    request: web.Request, node: Node, session: Session, error: KippuError | None = None
) -> web.Response:
    campaign_id = _campaign_id(request)
    customer_id = customer_of(session)
    lottery = await lottery_actions.require_lottery(node, campaign_id)
    context: dict[str, Any] = {
        "account": await shown_account(node, session.account),
        "campaign": await actions.require_campaign(node, campaign_id),
        "lottery": lottery,
        "standing": await lottery_actions.standing(node, campaign_id, customer_id),
        "win": await lottery_actions.win_of(node, campaign_id, customer_id),
        "error": error,
    }
    status = 200 if error is None else error.http_status
    return render_campaign_page(
        request, "campaigns/lottery.html", context, csrf=session.csrf, status=status
    )


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def lottery_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _lottery_page(request, node, session)


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def apply(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    try:
        await lottery_actions.apply(node, _campaign_id(request), customer_of(session))
    except KippuError as exc:
        if exc.http_status >= 500:
            raise
        return await _lottery_page(request, node, session, exc)
    raise web.HTTPSeeOther(f"{HOME}/{_campaign_id(request)}/lottery")


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def claim(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    customer_id = customer_of(session)
    try:
        await lottery_actions.claim(
            node, _campaign_id(request), customer_id, f"customer:{customer_id}"
        )
    except KippuError as exc:
        if exc.http_status >= 500:
            raise
        return await _lottery_page(request, node, session, exc)
    raise web.HTTPSeeOther(f"{HOME}/{_campaign_id(request)}/lottery")


async def _survey_page(
    request: web.Request,
    node: Node,
    session: Session,
    error: KippuError | None = None,
    sent: dict[str, Answer] | None = None,
) -> web.Response:
    campaign_id = _campaign_id(request)
    campaign = await actions.require_campaign(node, campaign_id)
    context: dict[str, Any] = {
        "account": await shown_account(node, session.account),
        "campaign": campaign,
        "questions": await survey_queries.questions(node.require_reader(), campaign_id),
        "grant_id": await survey_actions.answered_grant(node, campaign_id, customer_of(session)),
        "error": error,
        "sent": sent or {},
    }
    status = 200 if error is None else error.http_status
    return render_campaign_page(
        request, "campaigns/survey.html", context, csrf=session.csrf, status=status
    )


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def survey_page(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    return await _survey_page(request, node, session)


async def _sent_answers(request: web.Request, node: Node) -> dict[str, Answer]:
    """The form's answers keyed by question number: a radio's value, every ticked box, a text."""
    form = await read_form(request)
    questions = await survey_queries.questions(node.require_reader(), _campaign_id(request))
    sent: dict[str, Answer] = {}
    for question in questions:
        name = f"q{question.question_no}"
        if question.kind == QuestionKind.MULTIPLE:
            sent[str(question.question_no)] = await form_values(request, name)
        else:
            sent[str(question.question_no)] = form.get(name) or None
    return sent


@in_reader_language(home=HOME)
@requires(Role.CUSTOMER)
async def answer(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
    customer_id = customer_of(session)
    sent = await _sent_answers(request, node)
    try:
        await survey_actions.answer(
            node, _campaign_id(request), customer_id, sent, f"customer:{customer_id}"
        )
    except KippuError as exc:
        if exc.http_status >= 500:
            raise
        return await _survey_page(request, node, session, exc, sent)
    raise web.HTTPSeeOther(f"{HOME}/{_campaign_id(request)}/survey")


def routes() -> list[web.RouteDef]:
    base = HOME + "/{campaign_id}"
    return [
        web.get(f"{base}/lottery", lottery_page),
        web.post(f"{base}/lottery/apply", apply),
        web.post(f"{base}/lottery/claim", claim),
        web.get(f"{base}/survey", survey_page),
        web.post(f"{base}/survey", answer),
    ]
