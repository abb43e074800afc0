"""docs/architecture.md matches the code: its layer table is the one the layering test enforces,
it states the same rule, and every package or module it names exists."""

from __future__ import annotations

import re
from pathlib import Path

from tests.layering import LAYERS, RULE, VERIFIER_FORBIDDEN, Layer

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"


def between(text: str, marker: str) -> str:
    start = text.index(f"<!-- {marker}: begin -->") + len(f"<!-- {marker}: begin -->")
    return text[start : text.index(f"<!-- {marker}: end -->")]


def layer_table(text: str) -> tuple[Layer, ...]:
    """The rows `| number | name | `unit`, `unit` |` between the layer markers."""
    rows = []
    for line in between(text, "layers").strip().splitlines()[2:]:  # past the header and ---
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            raise AssertionError(f"not a row of three cells: {line!r}")
        units = tuple(re.findall(r"`([^`]+)`", cells[2]))
        rows.append(Layer(int(cells[0]), cells[1], units))
    return tuple(rows)


def exists(name: str) -> bool:
    """A dotted module or package name (`node.peering`) or a path (`node/peering/`, `cli.py`)."""
    path = ROOT / name.replace(".", "/") if "/" not in name else ROOT / name
    if "/" in name:
        return path.exists()
    return path.is_dir() or path.with_suffix(".py").is_file() or (ROOT / f"{path}.py").is_file()


def test_the_layer_table_is_the_one_the_layering_test_enforces() -> None:
    assert layer_table(DOC.read_text(encoding="utf-8")) == LAYERS


def test_the_rule_is_stated_as_enforced() -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert RULE in text
    forbidden = re.findall(
        r"`([^`]+)`", between(DOC.read_text(encoding="utf-8"), "verifier forbidden")
    )
    assert tuple(forbidden) == VERIFIER_FORBIDDEN


def test_every_package_and_module_the_document_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"`(node(?:\.[a-z_]+)+)`", text))
    named |= set(re.findall(r"`(node/[a-z_/]+(?:\.py|/))`", text))
    for unit in (unit for layer in layer_table(text) for unit in layer.units):
        named.add(unit)
    assert "node.verifier" in named and "node/peering/hooks.py" in named
    missing = sorted(name for name in named if not exists(name))
    assert missing == []


def test_the_table_parser_catches_a_drifted_document() -> None:
    """Planted: a document that moves a package to another layer no longer equals LAYERS."""
    text = DOC.read_text(encoding="utf-8").replace(
        "| 4 | peering | `node.peering` |", "| 4 | peering | `node.peering`, `node.settlement` |"
    )
    assert layer_table(text) != LAYERS
    assert not exists("node.no_such_package") and not exists("node/no_such_module.py")
