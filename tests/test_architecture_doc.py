"""docs/architecture.md matches the code: its layer table is the one the layering test enforces,
it states the same rule, its table of owners is the one the ownership test enforces (tables per
owner, and each owner's table modules, which exist), and every package or module it names exists:
dotted names (`node.peering`), paths from the repository (`node/peering/context.py`, `tests/...`) and
module paths relative to node/ or one of its packages (`audit/tables.py`, `model.py`)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.layering import LAYERS, RULE, VERIFIER_ALLOWED, VERIFIER_FORBIDDEN, Layer
from tests.test_table_ownership import ROOT_TABLE_MODULES, TABLE_OWNERS

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node"
DOC = ROOT / "docs" / "architecture.md"
ROOT_OWNER = "the node root"


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


def node_directories(node: Path = NODE) -> list[Path]:
    """node/ and every package under it (so never the web's node_modules)."""
    found = [node]
    for path in sorted(node.iterdir()):
        if path.is_dir() and (path / "__init__.py").is_file():
            found += node_directories(path)
    return found


def exists(name: str, root: Path = ROOT) -> bool:
    """A dotted module or package name (`node.peering`), a path from the repository
    (`node/peering/`, `tests/layering.py`, `cli.py`), or a module path relative to node/ or one of
    its packages (`audit/tables.py`, `ledger/tables.py`, `model.py`)."""
    if "/" not in name and not name.endswith(".py"):
        path = root / name.replace(".", "/")
        return path.is_dir() or path.with_suffix(".py").is_file()
    if (root / name).exists():
        return True
    return any((directory / name).exists() for directory in node_directories(root / "node"))


def named_modules(text: str) -> set[str]:
    """Every package or module the document names in backticks (patterns like `*_tables.py` or
    `mNNNN_<area>_<what>.py` are not names)."""
    named = set(re.findall(r"`(node(?:\.[a-z0-9_]+)+)`", text))
    named |= set(re.findall(r"`([a-z0-9_]+(?:/[a-z0-9_]+)*(?:\.py|/))`", text))
    return named


def missing_modules(text: str, root: Path = ROOT) -> list[str]:
    return sorted(name for name in named_modules(text) if not exists(name, root))


def owner_table(text: str) -> dict[str, tuple[frozenset[str], tuple[str, ...]]]:
    """The rows `| `node.pkg` or the node root | tables | `module`, ... |` between the markers,
    by owner as TABLE_OWNERS spells it (`ledger`; `""` for the node root)."""
    rows: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}
    for line in between(text, "table owners").strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3:
            raise AssertionError(f"not a row of three cells: {line!r}")
        owner = "" if cells[0] == ROOT_OWNER else cells[0].strip("`").removeprefix("node.")
        tables = set()
        for piece in re.split(r"[,;]", re.sub(r"\([^)]*\)", "", cells[1])):
            table = piece.rsplit(":", 1)[-1].strip()  # "the signed log: audit_log"
            if not re.fullmatch(r"[a-z][a-z0-9_]*", table):
                raise AssertionError(f"not a table name: {piece!r} in {line!r}")
            tables.add(table)
        rows[owner] = (frozenset(tables), tuple(re.findall(r"`([^`]+)`", cells[2])))
    return rows


def table_modules(package: Path) -> set[str]:
    """The table modules under `package`, relative to it (the ownership test's names)."""
    return {
        path.relative_to(package).as_posix()
        for directory in node_directories(package)
        for path in directory.glob("*.py")
        if (path.stem in ("tables", "queries") or path.stem.endswith(("_tables", "_queries")))
    }


def owner_table_problems(text: str, node: Path = NODE) -> list[str]:
    """How the document's table of owners differs from TABLE_OWNERS and the tree."""
    problems = []
    rows = owner_table(text)
    if set(rows) != set(TABLE_OWNERS):
        problems.append(f"owners {sorted(rows)} != {sorted(TABLE_OWNERS)}")
    for owner, (tables, listed) in rows.items():
        if tables != TABLE_OWNERS.get(owner):
            problems.append(f"{owner or ROOT_OWNER}: tables {sorted(tables)}")
        package = node / owner if owner else node
        problems += [
            f"{owner or ROOT_OWNER}: no {m}" for m in listed if not (package / m).is_file()
        ]
        actual = set(ROOT_TABLE_MODULES) if not owner else table_modules(package)
        if set(listed) != actual:
            problems.append(f"{owner or ROOT_OWNER}: modules {sorted(listed)} != {sorted(actual)}")
    return problems


def test_the_layer_table_is_the_one_the_layering_test_enforces() -> None:
    assert layer_table(DOC.read_text(encoding="utf-8")) == LAYERS


def test_the_rule_is_stated_as_enforced() -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert RULE in text
    forbidden = re.findall(
        r"`([^`]+)`", between(DOC.read_text(encoding="utf-8"), "verifier forbidden")
    )
    assert tuple(forbidden) == VERIFIER_FORBIDDEN
    allowed = re.findall(r"`([^`]+)`", between(DOC.read_text(encoding="utf-8"), "verifier allowed"))
    assert tuple(allowed) == VERIFIER_ALLOWED


def test_the_table_of_owners_is_the_one_the_ownership_test_enforces() -> None:
    assert owner_table_problems(DOC.read_text(encoding="utf-8")) == []


def test_every_package_and_module_the_document_names_exists() -> None:
    text = DOC.read_text(encoding="utf-8")
    named = named_modules(text)
    assert {"node.verifier", "node/peering/context.py", "audit/tables.py"} <= named
    assert "ledger/tables.py" in named and "settlement/audit/tables.py" in named
    units = {unit for layer in layer_table(text) for unit in layer.units}
    assert missing_modules(text) == [] and sorted(u for u in units if not exists(u)) == []


def test_the_table_parser_catches_a_drifted_document() -> None:
    """Planted: a document that moves a package to another layer no longer equals LAYERS."""
    text = DOC.read_text(encoding="utf-8").replace(
        "| 4 | peering | `node.peering` |", "| 4 | peering | `node.peering`, `node.settlement` |"
    )
    assert layer_table(text) != LAYERS
    assert not exists("node.no_such_package") and not exists("node/no_such_module.py")


def test_a_document_naming_a_missing_module_fails(tmp_path: Path) -> None:
    """Planted: names relative to node/ or its packages, digits included, resolve in a tree."""
    (tmp_path / "node" / "ledger").mkdir(parents=True)
    for name in ("node/__init__.py", "node/ledger/__init__.py", "node/ledger/m0001_x.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    good = "`ledger/m0001_x.py`, `m0001_x.py`, `node.ledger.m0001_x`, `node/ledger/`"
    assert missing_modules(good, tmp_path) == []
    bad = good + ", `audit/tables.py`, `ledger/m0002_y.py`, `node.ledger.m0002_y`"
    assert missing_modules(bad, tmp_path) == [
        "audit/tables.py",
        "ledger/m0002_y.py",
        "node.ledger.m0002_y",
    ]


def test_a_drifted_table_of_owners_fails() -> None:
    """Planted: a table moved to another owner, a module the tree lacks, one the doc omits."""
    text = DOC.read_text(encoding="utf-8")
    moved = text.replace("| `node.web` | web_accounts, ", "| `node.web` | claims, web_accounts, ")
    assert any(p.startswith("web: tables") for p in owner_table_problems(moved))
    absent = text.replace("`staff_tables.py`,", "`staff_tables.py`, `gone_tables.py`,")
    assert "web: no gone_tables.py" in owner_table_problems(absent)
    omitted = text.replace(", `staff_tables.py`,", ",")
    assert any(p.startswith("web: modules") for p in owner_table_problems(omitted))
