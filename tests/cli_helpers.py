"""Running `kippu` in this process against a running node (click's CliRunner), for the CLI's
tests (not a test module)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result

from cli import main
from tests.conftest import NodeHandle


def kippu(node: NodeHandle, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(node.home.root)], catch_exceptions=False)


def ok_json(node: NodeHandle, *args: str) -> Any:
    result = kippu(node, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def refused(node: NodeHandle, *args: str) -> dict[str, Any]:
    """A refusal: exit 1 and the JSON error on stderr."""
    result = kippu(node, *args, "--json")
    assert result.exit_code == 1, result.output
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error
