"""SQLite-only SQL stays in its places (docs/architecture.md, its SQL section): the SQLite platform modules,
the frozen migrations and any package's `sqlite.py`. Elsewhere, each construct PostgreSQL would
refuse is a counted, named debt; a new one fails here, naming its file and line."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

NODE = Path(__file__).resolve().parents[1] / "node"

# Where SQLite-only statements belong: the connection, the writer's and readers' transactions,
# backups, and the DDL of the migrations. A package that needs a runtime SQLite-only statement
# puts it in its own `sqlite.py`.
SQLITE_PLACES = ("db.py", "writer.py", "reads.py", "backup.py", "migrations/")

SQLITE_ONLY = {
    "PRAGMA": r"\bPRAGMA\b",
    "typeof()": r"\btypeof\s*\(",
    "INSERT OR IGNORE/REPLACE": r"\bINSERT\s+OR\s+(?:IGNORE|REPLACE)\b|\bREPLACE\s+INTO\b",
    "strftime()": r"\bstrftime\s*\(",
    "sqlite_master": r"\bsqlite_(?:master|schema)\b",
    "WITHOUT ROWID": r"\bWITHOUT\s+ROWID\b",
    "rowid": r"(?<!WITHOUT )\browid\b",
    "trigger": r"\bCREATE\s+TRIGGER\b|\bRAISE\s*\(\s*(?:ABORT|FAIL|IGNORE|ROLLBACK)",
    "ATTACH/VACUUM": r"\bATTACH\s+DATABASE\b|\bVACUUM\b",
    "BEGIN IMMEDIATE": r"\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b",
    "group_concat()": r"\bgroup_concat\s*\(",
    "SQLite functions": r"\b(?:julianday|zeroblob|randomblob|ifnull|glob)\s*\(",
    # PostgreSQL's IS / IS NOT take only NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM.
    "IS [NOT] ?": r"\bIS\s+(?:NOT\s+)?\?",
}

# Known debts outside those places, by construct (moving one between modules is fine; removing
# one lowers its count here). Each has a portable form for the PostgreSQL backend:
DEBTS = Counter(
    {
        # ON CONFLICT DO NOTHING (SQLite 3.24+ and PostgreSQL), where only a duplicate key is
        # meant to be skipped (OR IGNORE also skips NOT NULL and CHECK failures).
        "INSERT OR IGNORE/REPLACE": 3,
        # string_agg(x, ' ') (SQLite 3.44+, PostgreSQL); our SQLite is older.
        "group_concat()": 2,
        # journal order by an explicit sequence column instead of the implicit rowid.
        "rowid": 2,
        # a compare-and-set over nullable columns (`x IS ?`): IS NOT DISTINCT FROM in PostgreSQL.
        "IS [NOT] ?": 1,
        # the auditor's scratch database (node/verifier/books.py), SQLite by design:
        # an in-memory register, never the node's database.
        "PRAGMA": 2,
        "WITHOUT ROWID": 1,
    }
)


def _is_sqlite_place(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).as_posix()
    return path.name == "sqlite.py" or any(
        relative == place or relative.startswith(place) for place in SQLITE_PLACES
    )


def sqlite_only_uses(root: Path) -> list[tuple[str, str]]:
    """(construct, "path:line") for each SQLite-only construct in a string outside its places;
    docstrings and comments are prose, not SQL, and are not read."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if _is_sqlite_place(path, root):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        prose = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            if id(node) in prose:
                continue
            for construct, pattern in SQLITE_ONLY.items():
                if re.search(pattern, node.value, re.IGNORECASE):
                    where = f"{path.relative_to(root.parent).as_posix()}:{node.lineno}"
                    found.append((construct, where))
    return found


def debt_problems(found: list[tuple[str, str]], debts: Counter[str]) -> list[str]:
    counted = Counter(construct for construct, _ in found)
    problems = []
    for construct in sorted(set(counted) | set(debts)):
        if counted[construct] > debts[construct]:
            places = ", ".join(where for c, where in found if c == construct)
            problems.append(
                f"{construct}: {counted[construct]} outside the SQLite places, {debts[construct]}"
                f" allowed ({places}); move it to the package's sqlite.py or write portable SQL"
            )
        elif counted[construct] < debts[construct]:
            problems.append(
                f"{construct}: only {counted[construct]} left; lower its debt in this test"
            )
    return problems


def test_sqlite_only_sql_stays_in_its_places() -> None:
    assert debt_problems(sqlite_only_uses(NODE), DEBTS) == []


def test_the_check_names_a_planted_construct_and_ignores_prose(tmp_path: Path) -> None:
    root = tmp_path / "node"
    (root / "ledger").mkdir(parents=True)
    (root / "migrations").mkdir()
    (root / "ledger" / "points.py").write_text(
        '"""Points: never PRAGMA in prose."""\n'
        "# nor typeof( in a comment\n"
        "def expire(conn):\n"
        '    """Uses strftime( only in its docstring."""\n'
        "    conn.execute(\n"
        "        \"UPDATE points SET expired = 1 WHERE at < strftime('%s', 'now')\"\n"
        "    )\n",
        encoding="utf-8",
    )
    (root / "ledger" / "sqlite.py").write_text('SQL = "PRAGMA foreign_keys = ON"\n')
    (root / "migrations" / "m0013.py").write_text('SQL = "CREATE TRIGGER t BEFORE DELETE ON x"\n')

    found = sqlite_only_uses(root)

    assert found == [("strftime()", "node/ledger/points.py:6")]
    [problem] = debt_problems(found, Counter())
    assert problem.startswith("strftime(): 1 outside the SQLite places, 0 allowed")
    assert "node/ledger/points.py:6" in problem
    assert debt_problems([], Counter({"rowid": 1})) == [
        "rowid: only 0 left; lower its debt in this test"
    ]
