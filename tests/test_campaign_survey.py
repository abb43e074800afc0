"""Survey-gated coupons on a real node: the office sets a questionnaire, a resident's complete
answers grant the coupon in the same step, wrong answers and a refused grant record nothing (the
resident may answer again when stock opens), the questionnaire locks once answered, and the
answers export as CSV for Excel (UTF-8 with BOM, one row per respondent, one column per question,
choices joined by ' / ') through the API and `kippu campaign answers`."""

from __future__ import annotations

import csv
import io
from typing import Any

from node.campaigns import survey_rules
from node.campaigns.gate_model import Question, QuestionKind
from node.home import NodeHome
from tests.campaign_helpers import campaign_node, create, terms
from tests.conftest import FakeClock

QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": "single",
        "prompt": "お住まいの区",
        "options": ["小倉北区", "八幡西区"],
        "required": True,
    },
    {"kind": "multiple", "prompt": "よく行くお店", "options": ["商店街", "スーパー", "百貨店"]},
    {"kind": "text", "prompt": "ご意見", "max_length": 20},
]


async def test_answering_grants_and_the_csv_lists_the_answers(
    home: NodeHome, clock: FakeClock
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, "survey", stock=1)))["campaign_id"]
        base = f"campaigns/{cid}/survey"
        people = [await cn.customer(f"回答者{i}") for i in range(3)]
        status, none_yet = await cn.admin(
            "POST", f"{base}/answers", {"customer_id": people[0], "answers": {}}
        )
        assert (status, none_yet["error"]["code"]) == (409, "campaign.survey_not_defined")
        status, defined = await cn.admin("PUT", base, {"questions": QUESTIONS})
        assert status == 200 and [q["number"] for q in defined["questions"]] == [1, 2, 3]

        refusals = [
            ({"2": ["商店街"]}, 1),  # the required question unanswered
            ({"1": "門司区"}, 1),  # not one of the options
            ({"1": "小倉北区", "2": ["商店街", "商店街"]}, 2),
            ({"1": "小倉北区", "3": "あ" * 21}, 3),
            ({"1": "小倉北区", "9": "x"}, 0),
        ]
        for answers, question in refusals:
            status, refused = await cn.admin(
                "POST", f"{base}/answers", {"customer_id": people[0], "answers": answers}
            )
            assert status == 422, refused
            assert refused["error"]["code"] == "campaign.answer_invalid"
            assert refused["error"]["question"] == question

        first = {"1": "小倉北区", "2": ["百貨店", "商店街"], "3": "=1+1 楽しみです"}
        status, granted = await cn.admin(
            "POST", f"{base}/answers", {"customer_id": people[0], "answers": first}
        )
        assert status == 201 and granted["face_yen"] == 1000
        status, twice = await cn.admin(
            "POST", f"{base}/answers", {"customer_id": people[0], "answers": first}
        )
        assert (status, twice["error"]["code"]) == (409, "campaign.already_answered")
        status, sold_out = await cn.admin(
            "POST", f"{base}/answers", {"customer_id": people[1], "answers": {"1": "八幡西区"}}
        )
        assert (status, sold_out["error"]["code"]) == (409, "campaign.sold_out")
        status, locked = await cn.admin("PUT", base, {"questions": QUESTIONS[:1]})
        assert (status, locked["error"]["code"]) == (409, "campaign.survey_locked")
        _, shown = await cn.admin("GET", base)
        assert shown["responses"] == 1  # the sold-out answer was not kept
        _, status_shown = await cn.admin("GET", f"campaigns/{cid}")
        assert status_shown["granted_sets"] == 1 and status_shown["reconciled"] is True

        headers = {"Authorization": f"Bearer {cn.node.admin_token}"}
        url = f"{cn.base_url}/api/v1/{base}/answers.csv"
        async with cn.http.get(url, headers=headers) as response:
            assert response.status == 200 and response.content_type == "text/csv"
            data = await response.read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0][2:] == ["Q1 お住まいの区", "Q2 よく行くお店", "Q3 ご意見"]
    assert len(rows) == 2 and rows[1][0] == people[0]
    assert rows[1][2:] == ["小倉北区", "商店街 / 百貨店", "'=1+1 楽しみです"]


async def test_questionnaire_refusals_name_the_question(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, "survey", stock=5)))["campaign_id"]
        bad = [
            [],
            [{"kind": "single", "prompt": "一つだけ", "options": ["はい"]}],
            [{"kind": "text", "prompt": "長さ", "max_length": 0}],
            [{"kind": "text", "prompt": "選択肢", "options": ["a", "b"]}],
            [{"kind": "essay", "prompt": "?"}],
        ]
        for questions in bad:
            status, refused = await cn.admin(
                "PUT", f"campaigns/{cid}/survey", {"questions": questions}
            )
            assert (status, refused["error"]["code"]) == (422, "campaign.survey_invalid")
        lottery = (await create(cn, terms(clock, "lottery", stock=5)))["campaign_id"]
        status, refused = await cn.admin(
            "PUT", f"campaigns/{lottery}/survey", {"questions": QUESTIONS}
        )
        assert (status, refused["error"]["code"]) == (409, "campaign.survey_not_defined")


def test_csv_keeps_empty_answers_and_question_order() -> None:
    questions = (
        Question(1, QuestionKind.MULTIPLE, "A", ("x", "y"), False, None),
        Question(2, QuestionKind.TEXT, "B", (), False, 10),
    )
    answered_at = FakeClock().now()
    data = survey_rules.answers_csv(questions, [("c1", answered_at, {"1": None, "2": "@x"})])
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1].endswith(",,'@x")
