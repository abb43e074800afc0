"""What the office and residents do with a survey campaign (アンケート回答者限定), shared by the
JSON API, the CLI, the console and the wallet: set the questionnaire, answer it (the coupon
granted with the answer, or neither), export the answers as CSV."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from node.campaigns import actions, survey_operations, survey_queries, survey_rules
from node.campaigns.gate_model import Question
from node.ledger.fresh import fresh_number
from node.runtime import Node


def question_answer(question: Question) -> dict[str, Any]:
    return {
        "number": question.question_no,
        "kind": question.kind.value,
        "prompt": question.prompt,
        "options": list(question.options),
        "required": question.is_required,
        "max_length": question.max_length,
    }


def survey_answer(campaign_id: str, questions: Sequence[Question]) -> dict[str, Any]:
    return {"campaign_id": campaign_id, "questions": [question_answer(q) for q in questions]}


async def define(node: Node, campaign_id: str, sent: object) -> dict[str, Any]:
    questions = survey_rules.questionnaire(sent)
    made = await node.require_writer().submit(survey_operations.define(campaign_id, questions))
    return survey_answer(campaign_id, made)


async def survey(node: Node, campaign_id: str) -> dict[str, Any]:
    await actions.require_campaign(node, campaign_id)
    reader = node.require_reader()
    questions = await survey_queries.questions(reader, campaign_id)
    answered = await survey_queries.responses(reader, campaign_id)
    return {**survey_answer(campaign_id, questions), "responses": len(answered)}


async def answer(
    node: Node, campaign_id: str, customer_id: str, sent: object, actor: str
) -> dict[str, Any]:
    campaign = await actions.require_campaign(node, campaign_id)
    request = actions.grant_request(node, campaign, customer_id, actor, gate_passed=True)
    made = await node.require_writer().submit(
        survey_operations.answer(
            request, sent, node.settings, node.clock.now(), lambda: fresh_number(node.rng)
        )
    )
    return actions.grant_answer(made)


async def answered_grant(node: Node, campaign_id: str, customer_id: str) -> str | None:
    return await survey_queries.grant_of(node.require_reader(), campaign_id, customer_id)


async def answers_csv(node: Node, campaign_id: str) -> bytes:
    await actions.require_campaign(node, campaign_id)
    reader = node.require_reader()
    questions = await survey_queries.questions(reader, campaign_id)
    return survey_rules.answers_csv(questions, await survey_queries.responses(reader, campaign_id))
