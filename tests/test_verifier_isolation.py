"""The auditor's offline tool loads nothing of the running node, not even through another module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = (
    "aiohttp",
    "aiosqlite",
    "node.runtime",
    "node.app",
    "node.db",
    "node.writer",
    "node.reads",
)
VERIFIER_MODULES = sorted(
    f"node.verifier.{path.stem}" for path in (ROOT / "node" / "verifier").glob("*.py")
)


def forbidden_loaded(modules: list[str], extra_path: Path | None = None) -> list[str]:
    """Import `modules` in a fresh interpreter; the forbidden modules that came along."""
    code = "".join(f"import {name}\n" for name in modules)
    code += "import json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    paths = [str(ROOT)] + ([str(extra_path)] if extra_path is not None else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout)
    return sorted(
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )


def test_the_verifier_imports_nothing_of_the_running_node() -> None:
    assert "node.verifier.auditor" in VERIFIER_MODULES  # `kippu audit verify`'s entry point
    assert forbidden_loaded(VERIFIER_MODULES) == []


def test_a_planted_import_of_the_node_is_caught(tmp_path: Path) -> None:
    """The check is not blind: a verifier module that reaches the reader pool through a module
    of peering (as node/peering/keys.py did before its cache moved to keybook.py) is reported."""
    (tmp_path / "planted_verifier.py").write_text(
        "import node.verifier.auditor\nimport node.peering.keybook\n", encoding="utf-8"
    )
    found = forbidden_loaded(["planted_verifier"], tmp_path)
    assert "node.reads" in found and "aiosqlite" in found
