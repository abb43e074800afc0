"""The survey's writer units: set a questionnaire, and answer it, which grants the coupon in the
same unit (operations.grant_in with the gate passed). A refused grant refuses the answer too:
nothing is recorded, so the resident may answer again when stock opens (docs/operations.md)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime

from node.campaigns import operations, survey_rules, survey_tables, tables
from node.campaigns.gate_model import Question
from node.campaigns.model import CampaignKind, Grant
from node.errors import (
    MunicipalCampaignNotFound,
    SurveyAlreadyAnswered,
    SurveyLocked,
    SurveyNotDefined,
)
from node.ledger.operations import LedgerSettings


def define(
    campaign_id: str, questions: Sequence[Question]
) -> Callable[[sqlite3.Connection], list[Question]]:
    """Set (or replace, while nobody has answered) a survey campaign's questionnaire."""

    def work(conn: sqlite3.Connection) -> list[Question]:
        campaign = tables.load_campaign(conn, campaign_id)
        if campaign is None:
            raise MunicipalCampaignNotFound()
        if campaign.kind != CampaignKind.SURVEY:
            raise SurveyNotDefined()
        if survey_tables.has_responses(conn, campaign_id):
            raise SurveyLocked()
        survey_tables.replace_questions(conn, campaign_id, questions)
        return survey_tables.questions_of(conn, campaign_id)

    return work


def answer(
    request: operations.GrantRequest,
    sent: object,
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
) -> Callable[[sqlite3.Connection], Grant]:
    def work(conn: sqlite3.Connection) -> Grant:
        if tables.load_campaign(conn, request.campaign_id) is None:
            raise MunicipalCampaignNotFound()
        questions = survey_tables.questions_of(conn, request.campaign_id)
        if not questions:
            raise SurveyNotDefined()
        if survey_tables.has_answered(conn, request.campaign_id, request.customer_id):
            raise SurveyAlreadyAnswered()
        answers = survey_rules.checked_answers(questions, sent)
        granted = operations.grant_in(conn, request, settings, now, fresh_number)
        survey_tables.insert_response(
            conn, request.campaign_id, request.customer_id, answers, granted.grant_id, now
        )
        return granted

    return work
