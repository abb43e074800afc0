"""The survey's rules, pure: a questionnaire as the office sends it, a resident's answers checked
against it, and the answers as CSV rows. No I/O.

An answer and its coupon go together: the answers are recorded in the same writer unit as the
grant, and when the grant is refused (sold out, a check missing, the period over) nothing is
recorded, so the resident can answer again once the office adds stock.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import datetime

from node.campaigns.gate_model import Answer, Question, QuestionKind
from node.errors import InvalidSurvey, SurveyAnswerInvalid

MAX_QUESTIONS = 50
MAX_OPTIONS = 20
MAX_PROMPT = 500
MAX_OPTION = 100
MAX_TEXT = 4000
CHOICE_JOINER = " / "


def _question(value: object, number: int) -> Question:
    if not isinstance(value, dict) or not set(value) <= {
        "kind",
        "prompt",
        "options",
        "required",
        "max_length",
    }:
        raise InvalidSurvey(
            f"Question {number}: an object of kind, prompt, options, required, max_length.",
            field="questions",
        )
    try:
        kind = QuestionKind(str(value.get("kind")))
    except ValueError:
        raise InvalidSurvey(
            f"Question {number}: kind is single, multiple or text.", field="questions"
        ) from None
    prompt = value.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > MAX_PROMPT:
        raise InvalidSurvey(
            f"Question {number}: the prompt is 1-{MAX_PROMPT} characters.", field="questions"
        )
    required = value.get("required", False)
    if not isinstance(required, bool):
        raise InvalidSurvey(f"Question {number}: required is true or false.", field="questions")
    options = _options(value.get("options"), kind, number)
    max_length = value.get("max_length")
    if kind == QuestionKind.TEXT:
        max_length = MAX_TEXT if max_length is None else max_length
        if isinstance(max_length, bool) or not isinstance(max_length, int):
            max_length = 0
        if not 1 <= max_length <= MAX_TEXT:
            raise InvalidSurvey(
                f"Question {number}: max_length is 1 to {MAX_TEXT}.", field="questions"
            )
    elif max_length is not None:
        raise InvalidSurvey(
            f"Question {number}: only a free-text question has max_length.", field="questions"
        )
    return Question(number, kind, prompt.strip(), options, required, max_length)


def _options(value: object, kind: QuestionKind, number: int) -> tuple[str, ...]:
    if kind == QuestionKind.TEXT:
        if value not in (None, []):
            raise InvalidSurvey(
                f"Question {number}: a free-text question has no options.", field="questions"
            )
        return ()
    if (
        not isinstance(value, list)
        or not 2 <= len(value) <= MAX_OPTIONS
        or not all(isinstance(o, str) and o.strip() and len(o) <= MAX_OPTION for o in value)
    ):
        raise InvalidSurvey(
            f"Question {number}: 2-{MAX_OPTIONS} options of 1-{MAX_OPTION} characters.",
            field="questions",
        )
    options = tuple(o.strip() for o in value)
    if len(set(options)) != len(options):
        raise InvalidSurvey(f"Question {number}: the options differ.", field="questions")
    return options


def questionnaire(value: object) -> tuple[Question, ...]:
    """The questions as sent (a list), numbered from 1, or InvalidSurvey naming the first wrong."""
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_QUESTIONS:
        raise InvalidSurvey(
            f"`questions` is a list of 1-{MAX_QUESTIONS} questions.", field="questions"
        )
    return tuple(_question(q, n) for n, q in enumerate(value, start=1))


def _answer(question: Question, value: object) -> Answer:
    number = question.question_no
    empty = value is None or value == "" or value == []
    if empty:
        if question.is_required:
            raise SurveyAnswerInvalid(f"Question {number} needs an answer.", question=number)
        return None
    if question.kind == QuestionKind.SINGLE:
        if value not in question.options:
            raise SurveyAnswerInvalid(
                f"Question {number}: choose one of its options.", question=number
            )
        return str(value)
    if question.kind == QuestionKind.MULTIPLE:
        if (
            not isinstance(value, list)
            or not all(v in question.options for v in value)
            or len(set(value)) != len(value)
        ):
            raise SurveyAnswerInvalid(
                f"Question {number}: choose among its options, each once.", question=number
            )
        return [o for o in question.options if o in value]
    if not isinstance(value, str) or len(value.strip()) > (question.max_length or MAX_TEXT):
        raise SurveyAnswerInvalid(
            f"Question {number}: text of at most {question.max_length} characters.",
            question=number,
            max_length=question.max_length,
        )
    return value.strip() or None


def checked_answers(questions: Sequence[Question], sent: object) -> dict[str, Answer]:
    """The answers keyed by question number (as text, the JSON's keys), each fitting its
    question; SurveyAnswerInvalid names the first that does not."""
    if not isinstance(sent, dict) or not all(isinstance(k, str) for k in sent):
        raise SurveyAnswerInvalid("`answers` is an object keyed by question number.", question=0)
    known = {str(q.question_no) for q in questions}
    unknown = sorted(set(sent) - known)
    if unknown:
        raise SurveyAnswerInvalid(f"There is no question {unknown[0]} in this survey.", question=0)
    return {str(q.question_no): _answer(q, sent.get(str(q.question_no))) for q in questions}


def _cell(answer: Answer) -> str:
    if answer is None:
        return ""
    text = CHOICE_JOINER.join(answer) if isinstance(answer, list) else answer
    # A cell starting with = + - @ would be a formula in Excel: shown as text instead.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def answers_csv(
    questions: Sequence[Question],
    responses: Sequence[tuple[str, datetime, Mapping[str, Answer]]],
) -> bytes:
    """UTF-8 with a BOM (Excel opens it as UTF-8): one row per respondent, one column per
    question (Q1 prompt...), choices of a multiple-choice question joined by ' / '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["customer_id", "answered_at"] + [f"Q{q.question_no} {q.prompt}" for q in questions]
    )
    for customer_id, answered_at, answers in responses:
        writer.writerow(
            [customer_id, answered_at.isoformat()]
            + [_cell(answers.get(str(q.question_no))) for q in questions]
        )
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
