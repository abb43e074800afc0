"""The auditor's offline tool loads nothing of the running node, not even through another module,
and of the node only the modules it is allowed (tests/layering.py: VERIFIER_FORBIDDEN and
VERIFIER_ALLOWED, both stated in docs/architecture.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.layering import VERIFIER_ALLOWED, VERIFIER_FORBIDDEN

ROOT = Path(__file__).resolve().parent.parent
VERIFIER_MODULES = sorted(
    f"node.verifier.{path.stem}" for path in (ROOT / "node" / "verifier").glob("*.py")
)


def loaded(modules: list[str], extra_path: Path | None = None) -> list[str]:
    """Import `modules` in a fresh interpreter; every module then in sys.modules."""
    code = "".join(f"import {name}\n" for name in modules)
    code += "import json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    paths = [str(ROOT)] + ([str(extra_path)] if extra_path is not None else [])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    names: list[str] = json.loads(done.stdout)
    return names


def forbidden(names: list[str]) -> list[str]:
    return sorted(
        name
        for name in names
        if any(name == f or name.startswith(f + ".") for f in VERIFIER_FORBIDDEN)
    )


def is_allowed(name: str, allowed: tuple[str, ...] = VERIFIER_ALLOWED) -> bool:
    """Whether a loaded module of the node is allowed: listed, inside a `.*` package, or a package
    holding an allowed module (loading `node.ledger.rows` loads `node.ledger` too)."""
    for entry in allowed:
        package = entry.removesuffix(".*")
        if name == package or (entry.endswith(".*") and name.startswith(package + ".")):
            return True
        if package.startswith(name + "."):
            return True
    return False


def not_allowed(names: list[str]) -> list[str]:
    return sorted(
        name
        for name in names
        if (name == "node" or name.startswith("node.")) and not is_allowed(name)
    )


def test_the_verifier_imports_nothing_of_the_running_node() -> None:
    assert "node.verifier.auditor" in VERIFIER_MODULES  # `kippu audit verify`'s entry point
    names = loaded(VERIFIER_MODULES)
    assert forbidden(names) == []
    assert not_allowed(names) == []
    unused = [e for e in VERIFIER_ALLOWED if not e.endswith(".*") and e not in names]
    assert unused == []  # the list is the least the verifier needs


def test_a_planted_import_of_the_node_is_caught(tmp_path: Path) -> None:
    """The check is not blind: a verifier module that reaches the reader pool through a module
    of peering (as node/peering/keys.py did before its cache moved to keybook.py) is reported,
    by both lists; and one that loads a rule module not on the allowlist is reported too."""
    (tmp_path / "planted_verifier.py").write_text(
        "import node.verifier.auditor\nimport node.peering.keybook\n", encoding="utf-8"
    )
    names = loaded(["planted_verifier"], tmp_path)
    assert "node.reads" in forbidden(names) and "aiosqlite" in forbidden(names)
    assert "node.peering.keybook" in not_allowed(names) and "node.reads" in not_allowed(names)
    (tmp_path / "planted_rules.py").write_text(
        "import node.verifier.auditor\nimport node.ledger.qr\n", encoding="utf-8"
    )
    names = loaded(["planted_rules"], tmp_path)
    assert forbidden(names) == [] and "node.ledger.qr" in not_allowed(names)
    assert not_allowed(loaded(["node.verifier.auditor"])) == []
