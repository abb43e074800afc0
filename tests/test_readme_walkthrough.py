"""The README's "Running your own node" commands, run in order against a real node, work as written."""

from __future__ import annotations

import json
from pathlib import Path

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
