"""Imports point down the layers of docs/architecture.md and close no cycle between packages."""

from __future__ import annotations

from pathlib import Path

from node.app import PEERING_HOOKS
from node.peering.inbound import PEERING_ROUTES
from node.settlement.inbound import REPLY_APPLIERS, SETTLEMENT_ROUTES
from tests.layering import LAYERS, Layer, import_edges, layer_of_unit, module_files, violations

ROOT = Path(__file__).resolve().parent.parent


def test_node_and_cli_import_only_down_the_layers() -> None:
    found = violations(ROOT)
    assert found == [], "\n".join(found)


def test_every_module_of_node_has_a_layer() -> None:
    """A new package must be given its place in the table (tests/layering.py), not slip past."""
    units = layer_of_unit(LAYERS)
    files = module_files(ROOT, ["node", "cli"])
    assert "node.peering.inbound" in files and "cli" in files
    strays = [
        name
        for name in files
        if not any(name == unit or name.startswith(unit + ".") for unit in units if unit != "node")
        and name != "node"
    ]
    assert strays == []


def test_the_checker_sees_the_real_imports() -> None:
    """Not vacuous: the edges it reads include ones every reader of the code knows are there."""
    seen = {(edge.path, edge.imported) for edge in import_edges(ROOT, LAYERS)}
    assert ("node/app.py", "node.runtime") in seen
    assert ("node/settlement/bookkeeping.py", "node.peering.outbound") in seen
    assert ("cli.py", "node.app") in seen  # a function-level import counts too


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PLANTED_LAYERS = (
    Layer(1, "low", ("app.base",)),
    Layer(2, "middle", ("app.left", "app.right")),
    Layer(3, "top", ("app.main",)),
)


def test_a_planted_upward_import_and_a_planted_cycle_are_named_with_file_and_line(
    tmp_path: Path,
) -> None:
    _plant(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": '"""Low."""\n\nimport os\n\nfrom app.main import run\n',
            "app/left/__init__.py": "",
            "app/left/one.py": "from app.right import two\n",
            "app/right/__init__.py": "",
            "app/right/two.py": (
                "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
                "    from app.left.one import x\n"
            ),
            "app/main.py": "from app import base\nfrom app.left import one\n\n\ndef run() -> None:\n"
            "    from .right import two\n",
        },
    )
    found = violations(tmp_path, PLANTED_LAYERS)
    assert any(
        line.startswith("app/base.py:5: app.base (layer 1, low) imports app.main")
        and "up a layer" in line
        for line in found
    ), found
    cycle = [line for line in found if "a cycle between packages" in line]
    assert any(
        line.startswith("app/left/one.py:1: app.left imports app.right.two") for line in cycle
    )
    # The TYPE_CHECKING import closes the cycle: it counts.
    assert any(
        line.startswith("app/right/two.py:4: app.right imports app.left.one") for line in cycle
    )
    assert len(found) == 3, found  # main's imports (one relative, in a function) point down


def test_the_same_tree_without_the_planted_imports_passes(tmp_path: Path) -> None:
    _plant(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": "import os\n",
            "app/left/__init__.py": "",
            "app/left/one.py": "from app.right import two\nfrom app import base\n",
            "app/right/__init__.py": "",
            "app/right/two.py": "x = 1\n",
            "app/main.py": "from app.left import one\n",
        },
    )
    assert violations(tmp_path, PLANTED_LAYERS) == []


def test_the_composition_root_hands_peering_every_settlement_type_unshadowed() -> None:
    """Peering no longer imports settlement's routes and appliers: node/app.py hands them over.
    A settlement type that peering also named would never reach settlement, so none may."""
    assert PEERING_HOOKS.routes == SETTLEMENT_ROUTES
    assert PEERING_HOOKS.reply_appliers == REPLY_APPLIERS
    assert set(SETTLEMENT_ROUTES) & set(PEERING_ROUTES) == set()
    assert set(REPLY_APPLIERS) <= set(SETTLEMENT_ROUTES)
