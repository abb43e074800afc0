"""The README's settlement commands, run in order against two real node processes, work as written."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from node.app import prepare_database
from node.config import ListenAddress
from node.demo import free_port, running_node
from node.home import NodeHome, init_home
from tests.conftest import TEST_REGISTRATION
from tests.readme_steps import readme_steps

FIELDS = {
    "HANAKO_ID": "node_id",
    "INVITE": "invite",
    "UNO_STORE_ID": "store_id",
    "HANAKO_VOUCHER": "voucher_id",
    "HANAKO_PAYLOAD": "payload",
    "CLAIM_ID": "claim_id",
    "STATEMENT_ID": "statement_id",
}


@pytest.fixture
def homes(tmp_path: Path) -> Iterator[dict[str, Path]]:
    found = {}
    with (
        running_node(*_made(tmp_path, "hanako", "居酒屋はなこ")),
        running_node(*_made(tmp_path, "uno", "Trattoria Uno")),
    ):
        found = {"./hanako": tmp_path / "hanako", "./uno": tmp_path / "uno"}
        yield found


def _made(root: Path, slug: str, name: str) -> tuple[NodeHome, Path]:
    home = NodeHome(root / slug)
    init_home(
        home, name, ListenAddress("127.0.0.1", free_port()), registration_number=TEST_REGISTRATION
    )
    prepare_database(home.database_path)
    return home, root / f"{slug}.log"


def test_readme_settlement_commands_work_in_order(homes: dict[str, Path]) -> None:
    values: dict[str, str] = {}
    outputs = []
    steps = readme_steps("## Settlement with a partner", FIELDS)
    assert len(steps) >= 10
    for words, produced in steps:
        filled = [str(homes.get(w, values.get(w, w))) for w in words]
        if words[:2] == ["settlement", "statement"]:
            time.sleep(1.0)  # a person takes longer; the cut-off is the last whole second
        unfilled = [w for w in filled if w in FIELDS]
        assert not unfilled, f"README uses {unfilled} before a command produces it"
        result = CliRunner().invoke(main, [*filled, "--json"], catch_exceptions=False)
        assert result.exit_code == 0, f"kippu {' '.join(words)}: {result.stderr}"
        output = json.loads(result.stdout)
        outputs.append(output)
        for placeholder in produced:
            values[placeholder] = str(output[FIELDS[placeholder]])
    redeemed = next(o for o in outputs if "claim_id" in o and "balance_after" in o)
    assert redeemed["status"] == "accepted" and redeemed["balance_after"] == 7_000
    claims = outputs[-1]["claims"]
    assert [(c["amount"], c["status"]) for c in claims] == [(3_000, "CLEARED")]
