"""The layers of the package graph, as one table, and the checker that holds the code to it.

tests/test_layering.py runs the checker on node/ and cli.py; tests/test_architecture_doc.py
checks that the table in docs/architecture.md is this one. A module belongs to the unit of the
longest name in LAYERS that is its own name or a prefix of it (so `node.peering.commands`, a CLI
command module, sits with the composition root while the rest of `node.peering` is peering).

The rule is RULE below. Every import counts: module level, inside a function, under
`if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

RULE = (
    "A module may import its own unit, any unit of a lower layer, and a unit of its own layer as"
    " long as no chain of imports between units leads back."
)

# What no module of node.verifier may load, even through another (tests/test_verifier_isolation.py).
VERIFIER_FORBIDDEN = (
    "aiohttp",
    "aiosqlite",
    "node.runtime",
    "node.app",
    "node.db",
    "node.writer",
    "node.reads",
)

# The only modules of the node that loading every module of node.verifier may load, even through
# another (tests/test_verifier_isolation.py), besides the packages that hold them: the formats it
# reads and the pure rules behind them. `.*` stands for a package and every module in it. Each
# entry without `.*` is one that the verifier does load, so the list stays the least it needs.
VERIFIER_ALLOWED = (
    "node.verifier.*",
    "node.errors.*",
    "node.clock",
    "node.identity",
    "node.merkle",
    "node.ledger.calendar",
    "node.ledger.core",
    "node.ledger.model",
    "node.ledger.rows",
    "node.peering.envelope",
    "node.peering.keys",
    "node.peering.messages",
    "node.peering.model",
    "node.peering.notes",
    "node.peering.wire",
    "node.settlement.core",
    "node.settlement.messages",
    "node.settlement.model",
    "node.settlement.audit.bundle",
    "node.settlement.audit.checkpoint",
)


@dataclass(frozen=True)
class Layer:
    number: int
    name: str
    units: tuple[str, ...]


LAYERS: tuple[Layer, ...] = (
    Layer(1, "base", ("node", "node.errors", "node.clock", "node.text", "node.moments")),
    Layer(
        2,
        "platform",
        (
            "node.config",
            "node.home",
            "node.identity",
            "node.db",
            "node.writer",
            "node.writer_lanes",
            "node.reads",
            "node.metrics",
            "node.client_address",
            "node.connections",
            "node.serving_lock",
            "node.database_identity",
            "node.health_table",
            "node.http",
            "node.merkle",
            "node.migrations",
            "node.periodic",
            "node.admission",
            "node.listening",
        ),
    ),
    Layer(3, "ledger", ("node.ledger",)),
    Layer(4, "peering", ("node.peering",)),
    Layer(
        5,
        "runtime",
        (
            "node.runtime",
            "node.ledger.actions",
            "node.peering.actions",
            "node.peering.api",
            "node.peering.endpoint",
        ),
    ),
    Layer(
        6,
        "settlement and sales",
        (
            "node.settlement",
            "node.products",
            "node.payments",
            "node.compliance",
            "node.webhooks",
            "node.points",
            "node.campaigns",
            "node.crm",
        ),
    ),
    Layer(7, "verifier", ("node.verifier",)),
    Layer(8, "pages and API", ("node.web", "node.api")),
    Layer(
        9,
        "composition root",
        (
            "node.app",
            "node.server",
            "node.relay",
            "node.health",
            "node.backup",
            "node.demo",
            "node.demo_federation",
            "node.demo_points",
            "node.demo_campaigns",
            "node.demo_crm",
            "node.demo_mailbox",
            "node.admin_client",
            "node.cli_support",
            "node.peering.commands",
            "node.settlement.commands",
            "node.settlement.audit.commands",
            "node.web.commands",
            "node.products.commands",
            "node.compliance.commands",
            "node.compliance.refund_commands",
            "node.points.commands",
            "node.points.report_commands",
            "node.webhooks.commands",
            "node.points.rank_commands",
            "node.points.exchange_commands",
            "node.campaigns.commands",
            "node.campaigns.gate_commands",
            "node.campaigns.store_commands",
            "node.campaigns.payout_commands",
            "node.campaigns.serial_commands",
            "node.crm.commands",
            "node.crm.mail_commands",
        ),
    ),
    Layer(10, "command line", ("cli",)),
)


@dataclass(frozen=True)
class Edge:
    """One import statement from a module of `source` (a unit) to a module of `target`."""

    source: str
    target: str
    path: str
    line: int
    imported: str


def layer_of_unit(layers: Iterable[Layer]) -> dict[str, Layer]:
    return {unit: layer for layer in layers for unit in layer.units}


def unit_of(module: str, units: Mapping[str, Layer]) -> str | None:
    """The longest unit name that is `module` or one of its parents; None for a stranger."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in units:
            return candidate
    return None


def module_files(root: Path, tops: Iterable[str]) -> dict[str, Path]:
    """Module name -> file, for each top-level package or module name in `tops` under `root`."""
    found: dict[str, Path] = {}
    for top in tops:
        single = root / f"{top}.py"
        if single.is_file():
            found[top] = single
        for path in sorted((root / top).rglob("*.py")) if (root / top).is_dir() else ():
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported_names(node: ast.AST, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The modules one import statement loads (`from x import y` is x.y when y is a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join([*base, node.module] if node.module else base)
    else:
        source = node.module or ""
    names = [f"{source}.{alias.name}" for alias in node.names]
    submodules = [name for name in names if name in known]
    return submodules if len(submodules) == len(names) else [source, *submodules]


def import_edges(root: Path, layers: Iterable[Layer]) -> list[Edge]:
    """Every import between two different units of the table, with its file and line."""
    units = layer_of_unit(layers)
    tops = sorted({unit.split(".")[0] for unit in units})
    files = module_files(root, tops)
    known = set(files)
    edges: list[Edge] = []
    for module, path in files.items():
        source = unit_of(module, units)
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for statement in ast.walk(tree):
            for imported in _imported_names(statement, module, path.name == "__init__.py", known):
                target = unit_of(imported, units)
                if target is None or target == source:
                    continue
                line = getattr(statement, "lineno", 0)
                relative = path.relative_to(root).as_posix()
                edges.append(Edge(source, target, relative, line, imported))
    return edges


def upward(edges: Iterable[Edge], layers: Iterable[Layer]) -> list[str]:
    """`file:line: ...` for each import of a unit of a higher layer."""
    units = layer_of_unit(layers)
    found = []
    for edge in edges:
        low, high = units[edge.source], units[edge.target]
        if high.number > low.number:
            found.append(
                f"{edge.path}:{edge.line}: {edge.source} (layer {low.number}, {low.name})"
                f" imports {edge.imported} (layer {high.number}, {high.name}): up a layer"
            )
    return found


def cycles(edges: Iterable[Edge], layers: Iterable[Layer]) -> list[str]:
    """`file:line: ...` for each import between two units of one layer that closes a cycle.

    A cycle through several layers always has an import up a layer, which `upward` reports; so
    only a cycle within one layer is left to find here."""
    units = layer_of_unit(layers)
    level = [edge for edge in edges if units[edge.source] == units[edge.target]]
    graph: dict[str, set[str]] = {}
    for edge in level:
        graph.setdefault(edge.source, set()).add(edge.target)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = {start}, [start]
        while todo:
            for following in graph.get(todo.pop(), ()):
                if following == goal:
                    return True
                if following not in seen:
                    seen.add(following)
                    todo.append(following)
        return False

    return [
        f"{edge.path}:{edge.line}: {edge.source} imports {edge.imported}, and {edge.target}"
        f" leads back to {edge.source}: a cycle between packages"
        for edge in level
        if reaches(edge.target, edge.source)
    ]


def violations(root: Path, layers: Iterable[Layer] = LAYERS) -> list[str]:
    layers = tuple(layers)
    edges = import_edges(root, layers)
    return upward(edges, layers) + cycles(edges, layers)
