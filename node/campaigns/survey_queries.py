"""The survey campaigns' reads: the questionnaire, the responses, whether a resident answered."""

from __future__ import annotations

import json
from datetime import datetime

from node.campaigns.gate_model import Answer, Question
from node.campaigns.survey_tables import QUESTION_SELECT, RESPONSE_SELECT, question_from_row
from node.ledger.rows import from_epoch
from node.reads import Reader

Response = tuple[str, datetime, dict[str, Answer]]


async def questions(conn: Reader, campaign_id: str) -> list[Question]:
    rows = await conn.execute_fetchall(QUESTION_SELECT, (campaign_id,))
    return [question_from_row(r) for r in rows]


async def responses(conn: Reader, campaign_id: str) -> list[Response]:
    rows = await conn.execute_fetchall(
        f"{RESPONSE_SELECT} ORDER BY answered_at, customer_id", (campaign_id,)
    )
    return [
        (r["customer_id"], from_epoch(r["answered_at"]), json.loads(r["answers"])) for r in rows
    ]


async def grant_of(conn: Reader, campaign_id: str, customer_id: str) -> str | None:
    rows = await conn.execute_fetchall(
        f"{RESPONSE_SELECT} AND customer_id = ?", (campaign_id, customer_id)
    )
    found = [str(r["grant_id"]) for r in rows]
    return found[0] if found else None
