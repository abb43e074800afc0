"""The shipped systemd unit is the one docs/operations.md shows, and it sets what an operator needs."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

from node.connections import DESCRIPTOR_RESERVE
from tests.test_docs import _resolve

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "kippu.service"


def _unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are cased
    parser.read_string(UNIT.read_text(encoding="utf-8"))
    return parser


def test_operations_md_shows_the_shipped_unit_verbatim() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert f"```ini\n{UNIT.read_text(encoding='utf-8')}```" in operations
    assert "deploy/kippu.service" in operations


def test_the_unit_runs_kippu_serve_with_a_home_as_its_own_user() -> None:
    service = _unit()["Service"]
    assert service["Type"] == "simple"
    assert service["User"] not in ("", "root") and service["Group"] == service["User"]
    program, *argv = shlex.split(service["ExecStart"])
    assert Path(program).name == "kippu" and Path(program).is_absolute()
    command, rest = _resolve(argv)
    assert command.name == "serve" and rest[0] == "--home" and Path(rest[1]).is_absolute()
    assert service["ReadWritePaths"] == rest[1]  # the home is the one place it may write
    assert service["KillSignal"] == "SIGTERM"  # serve finishes queued writes on it


def test_the_unit_restarts_logs_to_the_journal_and_raises_the_descriptor_limit() -> None:
    service = _unit()["Service"]
    assert service["Restart"] in ("on-failure", "always")
    assert int(service["RestartSec"]) >= 1
    assert service["StandardOutput"] == service["StandardError"] == "journal"
    # The connection cap is derived from it (node/connections.py): room for thousands of clients.
    assert int(service["LimitNOFILE"]) - DESCRIPTOR_RESERVE >= 10_000
    assert service["UMask"] == "0077"  # the database and backups stay the owner's only
    assert _unit()["Install"]["WantedBy"] == "multi-user.target"
