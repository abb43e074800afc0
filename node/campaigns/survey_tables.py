"""SQL of survey campaigns (0040), shared by the writer's units and the reads: the questions and
the responses, rows mapped to their values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime

from node.campaigns.gate_model import Answer, Question, QuestionKind
from node.ledger.rows import to_epoch

QUESTION_SELECT = (
    "SELECT question_no, kind, prompt, options, is_required, max_length"
    " FROM campaign_survey_questions WHERE campaign_id = ? ORDER BY question_no"
)
RESPONSE_SELECT = (
    "SELECT customer_id, answers, answered_at, grant_id FROM campaign_survey_responses"
    " WHERE campaign_id = ?"
)


def question_from_row(row: sqlite3.Row) -> Question:
    return Question(
        question_no=row["question_no"],
        kind=QuestionKind(row["kind"]),
        prompt=row["prompt"],
        options=tuple(json.loads(row["options"])),
        is_required=bool(row["is_required"]),
        max_length=row["max_length"],
    )


def questions_of(conn: sqlite3.Connection, campaign_id: str) -> list[Question]:
    return [question_from_row(r) for r in conn.execute(QUESTION_SELECT, (campaign_id,))]


def has_responses(conn: sqlite3.Connection, campaign_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM campaign_survey_responses WHERE campaign_id = ? LIMIT 1", (campaign_id,)
    ).fetchone()
    return row is not None


def replace_questions(
    conn: sqlite3.Connection, campaign_id: str, questions: Sequence[Question]
) -> None:
    conn.execute("DELETE FROM campaign_survey_questions WHERE campaign_id = ?", (campaign_id,))
    conn.executemany(
        "INSERT INTO campaign_survey_questions (campaign_id, question_no, kind, prompt, options,"
        " is_required, max_length) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                campaign_id,
                q.question_no,
                q.kind.value,
                q.prompt,
                json.dumps(list(q.options), ensure_ascii=False),
                int(q.is_required),
                q.max_length,
            )
            for q in questions
        ],
    )


def insert_response(
    conn: sqlite3.Connection,
    campaign_id: str,
    customer_id: str,
    answers: Mapping[str, Answer],
    grant_id: str,
    now: datetime,
) -> bool:
    """False (nothing written) when the person has answered already."""
    cursor = conn.execute(
        "INSERT INTO campaign_survey_responses (campaign_id, customer_id, answers, grant_id,"
        " answered_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (
            campaign_id,
            customer_id,
            json.dumps(dict(answers), ensure_ascii=False, sort_keys=True),
            grant_id,
            to_epoch(now),
        ),
    )
    return cursor.rowcount == 1


def has_answered(conn: sqlite3.Connection, campaign_id: str, customer_id: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM campaign_survey_responses WHERE campaign_id = ? AND customer_id = ?",
        (campaign_id, customer_id),
    ).fetchone()
    return row is not None
