"""Each table has one owning package, and rows are read by column name (issue 14, item 2).

Two checks over every module of `node/`:

1. **Ownership.** Every string literal that reads like SQL (it holds SELECT, INSERT, UPDATE, DELETE,
   FROM, JOIN or INTO) and names one of the node's tables after FROM, JOIN, INTO, UPDATE or TABLE
   must sit in a table module of the package that owns that table: `tables.py` (writer-side SQL),
   `queries.py` (reads), or a module whose name ends in `_tables.py` or `_queries.py`, anywhere in
   the owner's package. One exception, for reads only: the table modules of a domain package may
   read (FROM, JOIN) the tables of the domain packages below it, declared in READS_BELOW
   (settlement joins a claim to its partner's name, or the journal's receivable postings;
   peering sends our store list). Only the owner writes (INSERT INTO, UPDATE, DELETE FROM), and
   the web reads nobody else's tables: it calls their query functions. The node root's own tables
   (the health probe, the database identity, the migrations bookkeeping) live in the root
   modules named in ROOT_TABLE_MODULES. The list of tables comes from the schema itself (a fresh
   database made by `node.app.prepare_database`, read from `sqlite_master`); each table's owner
   is declared once, in TABLE_OWNERS below, and a table missing from it fails the test.

   Exempt: the frozen migrations (`node/migrations/`, including 0005's backfill of the audit
   log). They are DDL history: they create and fill the tables, and their text must not change
   with the code (tests/test_migrations_frozen.py pins it).

2. **No positional row access.** A subscript by an integer constant of a fetched row fails: of a
   name called `row`, `r` or `*_row`; of a name bound to `fetchone()`, to an element of fetched
   rows (`rows[0]`), or to the loop variable over fetched rows; of `fetchone()` itself; and
   `rows[0][3]`. Rows are read by column name (`sqlite3.Row`, set as the row factory of every
   connection the node opens) into typed records.

3. **Table modules hold SQL, not rules.** A table module (the names above) may import from
   `node.errors` only lookups that found nothing (a `NotFound`) and the node's own bugs (errors
   that are not `is_actionable`, such as `internal.store_mismatch`): a rule that refuses what a
   person asked (a login taken, a spent link) belongs in the package's rules module, which calls
   the table module. Nor may it import any package's `operations` or `actions`: those call table
   modules, not the other way round.

Each check runs on a synthetic tree in tmp_path with a planted violation too, and must name the
file and line of it.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from node import errors as error_tree
from node.app import prepare_database
from node.errors import KippuError, NotFound

NODE = Path(__file__).resolve().parent.parent / "node"

TABLE_OWNERS: dict[str, frozenset[str]] = {
    "ledger": frozenset(
        {
            "stores",
            "customers",
            "vouchers",
            "journal",
            "journal_seq",
            "postings",
            "redemptions",
            "redemption_voids",
            "used_codes",
            "counters",
            "voucher_changes",
            "counter_sales",
            "sale_cancels",
            "rest_payments",
            "store_groups",
            "voucher_terms",
            "voucher_handovers",
        }
    ),
    "peering": frozenset(
        {
            "peers",
            "invites",
            "channels_in",
            "channels_out",
            "inbox",
            "outbox",
            "deliveries",
            "own_keys",
            "peer_keys",
            "partner_stores",
            "store_lists_sent",
            "outbox_versions",
            "outbox_current",
        }
    ),
    "settlement": frozenset(
        {
            "claims",
            "statements",
            "claim_codes",
            "audit_log",
            "audit_checkpoints",
            "audit_cosignatures",
            "audit_shared",
            "audit_witnessed",
            "audit_alarms",
        }
    ),
    "web": frozenset(
        {
            "web_accounts",
            "web_staff_stores",
            "web_sessions",
            "web_login_links",
            "web_handovers",
            "web_api_keys",
            "web_redemption_staff",
        }
    ),
    "products": frozenset({"products", "product_sales"}),
    "compliance": frozenset({"refund_abolitions", "refund_claims", "refunds"}),
    "payments": frozenset({"card_payments", "stripe_events"}),
    "points": frozenset(
        {
            "members",
            "member_codes_used",
            "point_programs",
            "point_store_rates",
            "point_campaigns",
            "point_entries",
            "point_postings",
            "point_lots",
            "point_lot_moves",
            "point_requests",
            "point_purchases",
            "point_purchase_lines",
            "point_shortfalls",
            "rank_tables",
            "rank_levels",
            "member_ranks",
            "exchange_items",
            "exchange_orders",
            "point_lotteries",
            "lottery_prizes",
            "lottery_tickets",
            "lottery_winners",
            "rank_changes",
            "point_expiry_notices",
            "rank_runs",
            "rank_floors",
        }
    ),
    "webhooks": frozenset({"webhook_endpoints", "webhook_deliveries"}),
    "crm": frozenset(
        {
            "customer_profiles",
            "customer_tags",
            "consent_events",
            "segments",
            "mail_campaigns",
            "mail_recipients",
            "customer_erasures",
            "mail_offers",
            "mail_offer_coupons",
        }
    ),
    "campaigns": frozenset(
        {
            "campaigns",
            "campaign_rounds",
            "campaign_grants",
            "campaign_grant_vouchers",
            "campaign_verifications",
            "campaign_lotteries",
            "campaign_lottery_entries",
            "campaign_lottery_rounds",
            "campaign_lottery_wins",
            "campaign_survey_questions",
            "campaign_survey_responses",
            "campaign_store_banks",
            "campaign_store_applications",
            "campaign_store_codes",
            "campaign_store_payments",
            "campaign_payouts",
            "campaign_payout_lines",
            "campaign_payout_stores",
            "campaign_carry_write_offs",
            "campaign_carry_reviews",
            # eligibility (資格確認), migration 0038
            "campaign_serials",
            "campaign_codes",
            "campaign_login_states",
            "campaign_passkey_challenges",
            # idempotency keys on grants, one-time codes' daily counts, migration 0042
            "campaign_grant_keys",
            "campaign_code_counts",
            # premium sets sold by card, migration 0041
            "campaign_holds",
        }
    ),
    "": frozenset({"health_checks", "node_identity", "schema_migrations"}),  # the node root
}
READS_BELOW: dict[str, frozenset[str]] = {
    "peering": frozenset({"ledger"}),
    "settlement": frozenset({"ledger", "peering"}),
    # Only the 基準日 report's own reads (report_queries.py); the refunds' journal sums are the
    # ledger's (tables.issued_face_between, voucher_liability_before).
    "compliance": frozenset({"ledger"}),
    "products": frozenset({"ledger"}),  # a sale's count leaves out the ledger's sale_cancels
    # a campaign's sums are the ledger's postings and balances of the vouchers it issued
    "campaigns": frozenset({"ledger"}),
    # the analytics and segments read customers' payments and visits where they are recorded:
    # the ledger's vouchers and redemptions, the points' purchases, lots and ranks
    "crm": frozenset({"ledger", "points"}),
}
ROOT_TABLE_MODULES = frozenset({"health_table.py", "database_identity.py", "db.py"})
EXEMPT_DIRECTORY = "migrations"

SQL_WORD = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO)\b")
TABLE_AFTER = re.compile(
    r"\b(DELETE\s+FROM|FROM|JOIN|INTO|UPDATE|TABLE(?:\s+IF\s+NOT\s+EXISTS)?)\s+(\w+)"
)
READ_WORDS = frozenset({"FROM", "JOIN"})
ROW_NAME = re.compile(r"^(row|r|\w+_row)$")
FETCH_ONE = frozenset({"fetchone"})
FETCH_MANY = frozenset({"fetchall", "fetchmany", "execute_fetchall", "execute"})


def owners() -> dict[str, str]:
    return {table: package for package, tables in TABLE_OWNERS.items() for table in tables}


def schema_tables(tmp_path: Path) -> set[str]:
    path = tmp_path / "schema.db"
    prepare_database(path)
    conn = sqlite3.connect(path)
    try:
        names = conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return {str(name) for (name,) in names}


def package_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else ""


def is_table_module(relative: Path, package: str, *, reads: bool = False) -> bool:
    """Whether SQL on `package`'s tables may sit in the module (`reads`: a read-only use)."""
    here = package_of(relative)
    if here == "" or package == "":
        return here == package and relative.name in ROOT_TABLE_MODULES
    if here != package and not (reads and package in READS_BELOW.get(here, ())):
        return False
    stem = relative.stem
    return stem in ("tables", "queries") or stem.endswith(("_tables", "_queries"))


def is_exempt(relative: Path) -> bool:
    return relative.parts[0] == EXEMPT_DIRECTORY


def modules(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        yield path.relative_to(root), ast.parse(path.read_text(encoding="utf-8"), str(path))


def strings(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Each string literal with its line; an f-string's literal parts joined by a placeholder."""
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                inside_fstring.add(id(value))
                parts.append(
                    value.value
                    if isinstance(value, ast.Constant) and isinstance(value.value, str)
                    else " {} "
                )
            yield node.lineno, "".join(parts)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in inside_fstring
        ):
            yield node.lineno, node.value


@dataclass(frozen=True)
class Finding:
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"

    def order(self) -> tuple[str, int, str]:
        path, line = self.where.rsplit(":", 1)
        return path, int(line), self.what


def misplaced_sql(root: Path, table_owner: dict[str, str]) -> list[Finding]:
    """SQL naming a table outside its owner's table modules, as `file:line`, in file order."""
    found: list[Finding] = []
    for relative, tree in modules(root):
        if is_exempt(relative):
            continue
        for line, text in strings(tree):
            if not SQL_WORD.search(text):
                continue
            uses: dict[str, bool] = {}  # table -> only read
            for match in TABLE_AFTER.finditer(text):
                table, is_read = match.group(2), match.group(1) in READ_WORDS
                uses[table] = uses.get(table, True) and is_read
            for table, reads in sorted(uses.items()):
                owner = table_owner.get(table)
                if owner is not None and not is_table_module(relative, owner, reads=reads):
                    who = owner or "the node root"
                    found.append(
                        Finding(f"{root.name}/{relative}:{line}", f"SQL names {table} ({who}'s)")
                    )
    return sorted(found, key=Finding.order)


def _called(node: ast.expr, names: frozenset[str]) -> bool:
    node = node.value if isinstance(node, ast.Await) else node
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in names
    )


def _int_index(node: ast.Subscript) -> bool:
    index = node.slice
    return isinstance(index, ast.Constant) and type(index.value) is int


def _names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id


class _RowTracker(ast.NodeVisitor):
    """Names bound to fetched rows and to collections of them, over one module."""

    def __init__(self) -> None:
        self.rows: set[str] = set()
        self.collections: set[str] = set()

    def _bind(self, target: ast.expr, value: ast.expr) -> None:
        if _called(value, FETCH_ONE) or (
            isinstance(value, ast.Subscript)
            and isinstance(value.value, ast.Name)
            and value.value.id in self.collections
        ):
            self.rows.update(_names(target))
        elif _called(value, FETCH_MANY) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in ("list", "tuple")
            and value.args
            and _called(value.args[0], FETCH_MANY)
        ):
            self.collections.update(_names(target))

    def _iterates_rows(self, iterable: ast.expr) -> bool:
        return _called(iterable, FETCH_MANY) or (
            isinstance(iterable, ast.Name) and iterable.id in self.collections
        )

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None and _called(node.context_expr, FETCH_MANY):
            self.collections.update(_names(node.optional_vars))
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        if self._iterates_rows(node.iter):
            self.rows.update(_names(node.target))
        self.generic_visit(node)

    visit_AsyncFor = visit_For  # type: ignore[assignment]

    def visit_comprehension(self, node: ast.comprehension) -> None:
        if self._iterates_rows(node.iter):
            self.rows.update(_names(node.target))
        self.generic_visit(node)


def positional_rows(root: Path) -> list[Finding]:
    """`row[3]`-style reads of fetched rows, as `file:line`, in file order."""
    found: list[Finding] = []
    for relative, tree in modules(root):
        tracker = _RowTracker()
        tracker.visit(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Subscript) or not _int_index(node):
                continue
            value = node.value
            if (
                (
                    isinstance(value, ast.Name)
                    and (ROW_NAME.match(value.id) or value.id in tracker.rows)
                )
                or _called(value, FETCH_ONE)
                or (
                    isinstance(value, ast.Subscript)
                    and isinstance(value.value, ast.Name)
                    and value.value.id in tracker.collections
                )
            ):
                found.append(
                    Finding(
                        f"{root.name}/{relative}:{node.lineno}", ast.unparse(node) + " by position"
                    )
                )
    return sorted(found, key=Finding.order)


def is_table_module_name(relative: Path) -> bool:
    stem = relative.stem
    return stem in ("tables", "queries") or stem.endswith(("_tables", "_queries"))


def is_lookup_or_bug(name: str) -> bool:
    """Whether `node.errors.<name>` may be raised by a table module."""
    found = getattr(error_tree, name, None)
    return (
        isinstance(found, type)
        and issubclass(found, KippuError)
        and (issubclass(found, NotFound) or not found.is_actionable)
    )


def _is_node_errors(module: str) -> bool:
    return module == "node.errors" or module.startswith("node.errors.")


def _is_operations(module: str) -> bool:
    return module.startswith("node.") and module.rsplit(".", 1)[-1] in ("operations", "actions")


def rules_in_table_modules(root: Path) -> list[Finding]:
    """Table modules that import a domain error, or operations or actions, as `file:line`."""
    found: list[Finding] = []
    for relative, tree in modules(root):
        if is_exempt(relative) or not is_table_module_name(relative):
            continue
        where = f"{root.name}/{relative}"
        for stmt in ast.walk(tree):
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if _is_node_errors(alias.name) or _is_operations(alias.name):
                        found.append(Finding(f"{where}:{stmt.lineno}", f"imports {alias.name}"))
            elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
                for alias in stmt.names:
                    full = f"{stmt.module}.{alias.name}"
                    if _is_node_errors(stmt.module) and not is_lookup_or_bug(alias.name):
                        what = f"imports the domain error {alias.name}"
                    elif (
                        _is_operations(stmt.module) or _is_operations(full) or full == "node.errors"
                    ):
                        what = f"imports {full}"
                    else:
                        continue
                    found.append(Finding(f"{where}:{stmt.lineno}", what))
    return sorted(found, key=Finding.order)


def test_every_table_has_one_declared_owner(tmp_path: Path) -> None:
    declared = owners()
    assert sum(len(tables) for tables in TABLE_OWNERS.values()) == len(declared), (
        "a table is declared under two owners"
    )
    tables = schema_tables(tmp_path)
    assert tables - declared.keys() == set(), "tables without a declared owner in TABLE_OWNERS"
    assert declared.keys() - tables == set(), "TABLE_OWNERS names tables the schema does not have"


def test_sql_naming_a_table_is_only_in_its_owners_table_modules() -> None:
    findings = misplaced_sql(NODE, owners())
    assert not findings, "SQL outside its table's owner:\n" + "\n".join(map(str, findings))


def test_no_row_is_read_by_position() -> None:
    findings = positional_rows(NODE)
    assert not findings, "rows read by position:\n" + "\n".join(map(str, findings))


def test_table_modules_hold_no_rules() -> None:
    findings = rules_in_table_modules(NODE)
    assert not findings, "rules in table modules:\n" + "\n".join(map(str, findings))


def _plant(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_ownership_check_names_the_file_and_line_of_a_planted_violation(tmp_path: Path) -> None:
    root = tmp_path / "node"
    _plant(root, "ledger/tables.py", 'SQL = "UPDATE vouchers SET holder_id = ?"\n')
    _plant(root, "migrations/m0001_ledger.py", 'DDL = "CREATE TABLE vouchers (x)"\n')
    _plant(root, "migrations/m0099_fill.py", 'DDL = "INSERT INTO vouchers VALUES (1)"\n')
    _plant(root, "settlement/queries.py", 'SQL = "SELECT * FROM claims"\n')
    _plant(root, "health_table.py", 'SQL = "INSERT INTO health_checks VALUES (1)"\n')
    _plant(
        root,
        "web/handover.py",
        '"""Hand a voucher over."""\n\nNOTE = "from the vouchers"\n'
        'SQL = (\n    "UPDATE vouchers"\n    " SET holder_id = ?"\n)\n',
    )
    _plant(
        root, "settlement/audit/log.py", 'table = "x"\nSQL = f"SELECT * FROM {table} JOIN peers"\n'
    )
    _plant(root, "health.py", 'SQL = "SELECT checked_at FROM health_checks"\n')
    # Reads of a lower domain package's tables are allowed in table modules; writes never are.
    _plant(
        root,
        "settlement/tables.py",
        'READ = "SELECT c.claim_id, p.name FROM claims c JOIN peers p ON p.node_id = c.peer"\n'
        'WRITE = "UPDATE peers SET status = ?"\n',
    )
    _plant(root, "web/queries.py", 'SQL = "SELECT name FROM web_accounts JOIN customers"\n')
    findings = [str(f) for f in misplaced_sql(root, owners())]
    assert findings == [
        "node/health.py:1: SQL names health_checks (the node root's)",
        "node/settlement/audit/log.py:2: SQL names peers (peering's)",
        "node/settlement/tables.py:2: SQL names peers (peering's)",
        "node/web/handover.py:5: SQL names vouchers (ledger's)",
        "node/web/queries.py:1: SQL names customers (ledger's)",
    ]


def test_positional_check_names_the_file_and_line_of_a_planted_violation(tmp_path: Path) -> None:
    root = tmp_path / "node"
    _plant(
        root,
        "peering/tables.py",
        "def peer(conn):\n"
        "    found = conn.execute('SELECT url FROM peers').fetchone()\n"
        "    return found[0]\n",
    )
    _plant(
        root,
        "web/accounts.py",
        "async def names(db):\n"
        "    rows = await db.execute_fetchall('SELECT name FROM customers')\n"
        "    first = [r[0] for r in rows]\n"
        "    return first, rows[0][1], rows[0]['name']\n",
    )
    _plant(
        root,
        "ledger/rows.py",
        "def voucher(row):\n    return row['voucher_id'], row[12]\n\n\n"
        "def fine(parts):\n    return parts[0]\n",
    )
    _plant(root, "db.py", "def one(conn):\n    return conn.execute('SELECT 1').fetchone()[0]\n")
    findings = [str(f) for f in positional_rows(root)]
    assert findings == [
        "node/db.py:2: conn.execute('SELECT 1').fetchone()[0] by position",
        "node/ledger/rows.py:2: row[12] by position",
        "node/peering/tables.py:3: found[0] by position",
        "node/web/accounts.py:3: r[0] by position",
        "node/web/accounts.py:4: rows[0][1] by position",
    ]


def test_rules_check_names_the_file_and_line_of_a_planted_violation(tmp_path: Path) -> None:
    root = tmp_path / "node"
    _plant(
        root,
        "web/account_tables.py",
        "from node.errors import AccountNotFound, LoginTaken\n"
        "from node.ledger.operations import customer_with_email\n",
    )
    _plant(root, "web/staff_queries.py", "from node.ledger import actions, tables\n")
    _plant(root, "ledger/tables.py", "from node.errors import KippuError, StoreMismatch\n")
    _plant(root, "peering/queries.py", "import node.errors\n")
    _plant(root, "web/accounts.py", "from node.errors import LoginTaken\n")  # a rules module
    findings = [str(f) for f in rules_in_table_modules(root)]
    assert findings == [
        "node/peering/queries.py:1: imports node.errors",
        "node/web/account_tables.py:1: imports the domain error LoginTaken",
        "node/web/account_tables.py:2: imports node.ledger.operations.customer_with_email",
        "node/web/staff_queries.py:1: imports node.ledger.actions",
    ]
