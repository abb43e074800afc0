"""The README's "Running your own node" commands, run in order against a real node, work as written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from tests.conftest import NodeHandle
from tests.readme_steps import readme_steps

# The output field behind each placeholder a README comment announces with `# -> NAME`.
FIELDS = {
    "STORE_ID": "store_id",
    "CUSTOMER_ID": "customer_id",
    "FRIEND_ID": "customer_id",
    "VOUCHER_ID": "voucher_id",
    "PAYLOAD": "payload",
    "REDEMPTION_ID": "redemption_id",
}


def test_readme_commands_work_in_order(
    node: NodeHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # `--png qr.png` writes here
    values: dict[str, str] = {}
    steps = readme_steps("In another terminal", FIELDS)
    assert len(steps) >= 10
    for words, produced in steps:
        filled = [values.get(w, w) for w in words]
        unfilled = [w for w in filled if w in FIELDS]
        assert not unfilled, f"README uses {unfilled} before a command produces it"
        result = CliRunner().invoke(
            main, [*filled, "--home", str(node.home.root), "--json"], catch_exceptions=False
        )
        assert result.exit_code == 0, f"kippu {' '.join(words)}: {result.stderr}"
        output = json.loads(result.stdout)
        for placeholder in produced:
            values[placeholder] = str(output[FIELDS[placeholder]])
    assert (tmp_path / "qr.png").read_bytes().startswith(b"\x89PNG")
    assert set(values) == set(FIELDS)


SELLING_FIELDS = {"PRODUCT_ID": "product_id"}


def test_readme_selling_commands_work_in_order(
    node: NodeHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's "Selling online" block: a product, its listing, the 基準日 report in JSON and
    as a PDF."""
    monkeypatch.chdir(tmp_path)  # `--output report.pdf` writes here
    values: dict[str, str] = {}
    steps = readme_steps("## Selling online", SELLING_FIELDS)
    assert len(steps) >= 5
    for words, produced in steps:
        filled = [values.get(w, w) for w in words]
        assert not [w for w in filled if w in SELLING_FIELDS], "README uses a value too early"
        as_json = [] if "--output" in filled else ["--json"]
        result = CliRunner().invoke(
            main, [*filled, "--home", str(node.home.root), *as_json], catch_exceptions=False
        )
        assert result.exit_code == 0, f"kippu {' '.join(words)}: {result.stderr}"
        if as_json:
            output = json.loads(result.stdout)
            for placeholder in produced:
                values[placeholder] = str(output[SELLING_FIELDS[placeholder]])
    assert set(values) == set(SELLING_FIELDS)
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


def _replay_json(
    node: NodeHandle, steps: list[tuple[list[str], list[str]]], fields: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Run a README block's commands in order with --json; each answer, and the placeholders
    they produced."""
    values: dict[str, str] = {}
    outputs: list[dict[str, Any]] = []
    for words, produced in steps:
        filled = [values.get(w, w) for w in words]
        result = CliRunner().invoke(
            main, [*filled, "--home", str(node.home.root), "--json"], catch_exceptions=False
        )
        assert result.exit_code == 0, f"kippu {' '.join(words)}: {result.stderr}"
        outputs.append(json.loads(result.stdout))
        for placeholder in produced:
            values[placeholder] = str(outputs[-1][fields[placeholder]])
    return outputs, values


POINTS_FIELDS = {
    "STORE_ID": "store_id",
    "CUSTOMER_ID": "customer_id",
    "MEMBER_NO": "member_no",
    "PAYLOAD": "payload",
}


def test_readme_points_commands_work_in_order(node: NodeHandle) -> None:
    """The README's points block: the program and ranks, a member, earn, use with the card's
    code, balance, return, adjust, the report."""
    steps = readme_steps("## Points and member ranks", POINTS_FIELDS)
    assert len(steps) >= 10
    outputs, values = _replay_json(node, steps, POINTS_FIELDS)
    assert set(values) == set(POINTS_FIELDS)
    earned = next(o for o in outputs if o.get("txn") == "R-1001" and "points" in o)
    assert earned["points"] == 128
    assert outputs[-1]["closing_points"] == 50  # 128 - 100, the return took 28, then +50


CAMPAIGN_FIELDS = {
    "STORE_ID": "store_id",
    "CAMPAIGN_ID": "campaign_id",
    "CUSTOMER_ID": "customer_id",
}


def test_readme_campaign_commands_work_in_order(node: NodeHandle) -> None:
    """The README's campaigns block: a local shop with its bank account, a premium campaign with
    a 専用券 part, the office's grant, the status reconciled."""
    steps = readme_steps("## Municipal campaigns", CAMPAIGN_FIELDS)
    assert len(steps) >= 7
    outputs, values = _replay_json(node, steps, CAMPAIGN_FIELDS)
    assert set(values) == set(CAMPAIGN_FIELDS)
    granted = next(o for o in outputs if "voucher_ids" in o)
    assert len(granted["voucher_ids"]) == 2 and granted["face_yen"] == 13000
    status = next(o for o in outputs if "reconciled" in o)
    assert status["granted_yen"] == 13000 and status["reconciled"] is True
