"""`kippu campaign serials CAMPAIGN_ID --count N --out FILE` against a running node: the printing
CSV holds every plain code once (the node keeps only hashes), is created for its owner only and
never overwritten, and a refused batch leaves no file behind."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cli import main
from node.campaigns.serials import parse_serial
from tests.campaign_helpers import terms
from tests.conftest import NodeHandle


def kippu(node: NodeHandle, *args: str) -> Any:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _campaign(node: NodeHandle, methods: list[str]) -> str:
    made = node.client.post("campaigns", terms(node.clock, eligibility=methods))
    return str(made["campaign_id"])


def test_a_batch_is_written_once_for_the_printer(node: NodeHandle, tmp_path: Path) -> None:
    campaign_id = _campaign(node, ["serial"])
    out = tmp_path / "serials.csv"
    result = kippu(
        node, "campaign", "serials", campaign_id, "--count", "40", "--out", str(out), "--json"
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer == {
        "campaign_id": campaign_id,
        "count": 40,
        "printed": 40,
        "used": 0,
        "out": str(out),
    }
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = _rows(out)
    assert rows[0] == ["serial", "campaign"] and len(rows) == 41
    codes = [row[0] for row in rows[1:]]
    assert len(set(codes)) == 40 and {row[1] for row in rows[1:]} == {campaign_id}
    assert all(parse_serial(code) == code.replace("-", "") for code in codes)
    assert out.read_bytes().count(b"\r\n") == 41
    assert "-" not in result.output.replace(campaign_id, "").replace(str(out), "")  # no code shown

    again = kippu(node, "campaign", "serials", campaign_id, "--count", "5", "--out", str(out))
    assert again.exit_code == 2 and "exists" in again.output
    assert [row[0] for row in _rows(out)[1:]] == codes
    text = kippu(
        node, "campaign", "serials", campaign_id, "--count", "5", "--out", str(tmp_path / "b.csv")
    )
    assert text.exit_code == 0 and "printed: 45" in text.output


def test_a_refused_batch_leaves_no_file(node: NodeHandle, tmp_path: Path) -> None:
    no_serials = _campaign(node, ["email"])
    for campaign_id, code in (
        (no_serials, "eligibility.not_asked"),
        ("cp_none", "campaign.not_found"),
    ):
        out = tmp_path / f"{campaign_id}.csv"
        result = kippu(
            node, "campaign", "serials", campaign_id, "--count", "3", "--out", str(out), "--json"
        )
        assert result.exit_code == 1, result.output
        assert json.loads(result.stderr)["error"]["code"] == code
        assert not out.exists()
    too_many = kippu(
        node, "campaign", "serials", no_serials, "--count", "100001", "--out", str(tmp_path / "x")
    )
    assert too_many.exit_code == 2 and not (tmp_path / "x").exists()
