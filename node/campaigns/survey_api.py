"""Admin API of survey campaigns (what `kippu campaign survey|answer|answers` call) and its
OpenAPI parts. Thin: each handler reads its body strictly and calls
node/campaigns/survey_actions.py, which the console and the wallet share."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from node.campaigns import survey_actions, survey_rules
from node.campaigns.api import CUSTOMER_ID_CHARS
from node.campaigns.gate_model import QuestionKind
from node.http import input as body_input
from node.http.caller import api_caller
from node.http.schema_parts import COUNT, ID, Schema, nullable, obj, op, ref, text, whole
from node.runtime import NODE, Handler

BASE = "/api/v1/campaigns/{campaign_id}/survey"
CSV_TYPE = "text/csv"


def _campaign_id(request: web.Request) -> str:
    return request.match_info["campaign_id"]


async def define(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"questions"})
    made = await survey_actions.define(
        request.app[NODE], _campaign_id(request), body.get("questions")
    )
    return web.json_response(made)


async def show(request: web.Request) -> web.Response:
    return web.json_response(await survey_actions.survey(request.app[NODE], _campaign_id(request)))


async def answer(request: web.Request) -> web.Response:
    body = await body_input.read_body(request, {"customer_id", "answers"})
    customer_id = body_input.required_text(body, "customer_id", CUSTOMER_ID_CHARS)
    made = await survey_actions.answer(
        request.app[NODE],
        _campaign_id(request),
        customer_id,
        body.get("answers"),
        api_caller(request),
    )
    return web.json_response(made, status=201)


async def answers_csv(request: web.Request) -> web.Response:
    campaign_id = _campaign_id(request)
    data = await survey_actions.answers_csv(request.app[NODE], campaign_id)
    return web.Response(
        body=data,
        content_type=CSV_TYPE,
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="survey-{campaign_id}.csv"'},
    )


SURVEY_ROUTES: tuple[tuple[str, str, Handler], ...] = (
    ("PUT", BASE, define),
    ("GET", BASE, show),
    ("POST", f"{BASE}/answers", answer),
    ("GET", f"{BASE}/answers.csv", answers_csv),
)


def survey_paths() -> dict[str, dict[str, Any]]:
    one = ("campaign_id",)
    csv_op = op(
        "The answers as CSV (UTF-8 with BOM): one row per respondent, one column per question",
        None,
        params=one,
    )
    csv_op["responses"]["200"]["content"] = {CSV_TYPE: {"schema": {"type": "string"}}}
    return {
        BASE: {
            "put": op(
                "Set a survey campaign's questionnaire (replaceable until someone answers)",
                ref("MunicipalSurvey"),
                params=one,
                body="NewMunicipalSurvey",
                errors=(409, 422),
            ),
            "get": op(
                "A survey campaign's questionnaire and how many answered",
                ref("MunicipalSurvey"),
                params=one,
            ),
        },
        f"{BASE}/answers": {
            "post": op(
                "A resident's answers; complete answers grant the coupon in the same step (a"
                " refused grant records nothing)",
                ref("MunicipalGrant"),
                201,
                params=one,
                body="NewMunicipalAnswer",
                errors=(403, 409, 422),
            )
        },
        f"{BASE}/answers.csv": {"get": csv_op},
    }


def survey_schemas() -> dict[str, Schema]:
    kind = {"type": "string", "enum": [k.value for k in QuestionKind]}
    question_sent = obj(
        ["kind", "prompt"],
        kind=kind,
        prompt=text(survey_rules.MAX_PROMPT),
        options=nullable(
            {
                "type": "array",
                "maxItems": survey_rules.MAX_OPTIONS,
                "items": text(survey_rules.MAX_OPTION),
            }
        ),
        max_length=nullable(whole(1, survey_rules.MAX_TEXT)),
    )
    question_sent["properties"]["required"] = nullable({"type": "boolean"})
    question_shown: dict[str, Schema] = {
        "number": COUNT,
        "kind": kind,
        "prompt": {"type": "string"},
        "options": {"type": "array", "items": {"type": "string"}},
        "max_length": nullable(COUNT),
    }
    shown_question = obj([*question_shown, "required"], **question_shown)
    shown_question["properties"]["required"] = {"type": "boolean"}
    return {
        "NewMunicipalSurvey": obj(
            ["questions"],
            questions={
                "type": "array",
                "minItems": 1,
                "maxItems": survey_rules.MAX_QUESTIONS,
                "items": question_sent,
            },
        ),
        "MunicipalSurvey": obj(
            ["campaign_id", "questions"],
            campaign_id=ID,
            questions={"type": "array", "items": shown_question},
            responses=COUNT,
        ),
        "NewMunicipalAnswer": obj(
            ["customer_id", "answers"],
            customer_id=text(CUSTOMER_ID_CHARS),
            answers={
                "type": "object",
                "description": "keyed by question number: an option, a list of options, or text",
            },
        ),
    }
