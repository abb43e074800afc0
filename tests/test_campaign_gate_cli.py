"""`kippu campaign ...` for lottery and survey campaigns against a running node, as the office
types them: the secret made offline, set-up, applications, close, draw, the draw file exported and
verified; a questionnaire from a file, an answer, the answers CSV written."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner, Result

from cli import main
from node.home import NodeHome
from tests.conftest import NodeHandle


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def answer_of(result: Result) -> dict[str, object]:
    assert result.exit_code == 0, result.output
    value = json.loads(result.output)
    assert isinstance(value, dict)
    return value


def _moment(node: NodeHandle, **delta: float) -> str:
    return (node.clock.now() + timedelta(**delta)).isoformat()


def test_a_lottery_from_the_command_line(node: NodeHandle, tmp_path: Path) -> None:
    home = node.home
    made = answer_of(
        kippu(
            home, "campaign", "create", "--kind", "lottery", "--name", "抽選クーポン",
            "--face", "2000", "--stock", "2", "--starts", _moment(node, hours=-1),
            "--ends", _moment(node, days=30), "--json",
        )
    )  # fmt: skip
    cid = str(made["campaign_id"])
    secret = answer_of(CliRunner().invoke(main, ["campaign", "lottery-secret", "--json"]))
    set_up = answer_of(
        kippu(
            home, "campaign", "lottery-setup", cid, "--seed", "secret",
            "--commitment", str(secret["commitment"]), "--entries-until", _moment(node, days=7),
            "--claim-days", "5", "--json",
        )
    )  # fmt: skip
    assert set_up["commitment"] == secret["commitment"]
    people = [node.client.post("customers", {"name": f"住民{i}"})["customer_id"] for i in range(4)]
    for person in people:
        answer_of(kippu(home, "campaign", "apply", cid, "--customer", person, "--json"))
    twice = kippu(home, "campaign", "apply", cid, "--customer", people[0])
    assert twice.exit_code == 1 and "campaign.already_applied" in twice.output
    node.clock.advance(days=8)
    closed = answer_of(kippu(home, "campaign", "close-entries", cid, "--json"))
    assert closed["entry_count"] == 4
    drawn = answer_of(
        kippu(home, "campaign", "draw", cid, "--secret", str(secret["secret"]), "--json")
    )
    assert isinstance(drawn["winners"], list) and len(drawn["winners"]) == 2
    out = tmp_path / "draw.json"
    answer_of(kippu(home, "campaign", "export-draw", cid, "--out", str(out), "--json"))
    checked = CliRunner().invoke(main, ["campaign", "verify-draw", str(out)])
    assert checked.exit_code == 0 and "ok: the draw recomputes (4 entries" in checked.output


def test_a_survey_from_the_command_line(node: NodeHandle, tmp_path: Path) -> None:
    home = node.home
    made = answer_of(
        kippu(
            home, "campaign", "create", "--kind", "survey", "--name", "アンケート",
            "--face", "500", "--stock", "10", "--starts", _moment(node, hours=-1),
            "--ends", _moment(node, days=30), "--json",
        )
    )  # fmt: skip
    cid = str(made["campaign_id"])
    questions = tmp_path / "questions.json"
    questions.write_text(
        json.dumps(
            [
                {
                    "kind": "single",
                    "prompt": "満足度",
                    "options": ["高い", "低い"],
                    "required": True,
                },
                {"kind": "multiple", "prompt": "使い道", "options": ["食品", "衣料", "外食"]},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    shown = kippu(home, "campaign", "survey-set", cid, "--file", str(questions))
    assert shown.exit_code == 0 and "[single] 満足度" in shown.output
    person = node.client.post("customers", {"name": "回答者"})["customer_id"]
    sent = json.dumps({"1": "高い", "2": ["外食", "食品"]}, ensure_ascii=False)
    granted = answer_of(
        kippu(home, "campaign", "answer", cid, "--customer", person, "--answers", sent, "--json")
    )
    assert granted["face_yen"] == 500
    out = tmp_path / "answers.csv"
    written = answer_of(kippu(home, "campaign", "answers", cid, "--out", str(out), "--json"))
    assert written["respondents"] == 1
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[1].endswith(",高い,食品 / 外食")
