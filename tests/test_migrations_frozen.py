"""Released migrations never change: each module is pinned by SHA-256, and so is the one piece of
live code they run (`node.db.run_script`), a node upgraded from the first schema ends with the
schema of a new node, the frozen 0005 decoder files each stored
envelope where the release did, and the lifecycle triggers hold the model's transition tables."""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

import node.migrations
from node import db
from node.ledger.model import ALLOWED_TRANSITIONS
from node.migrations import MIGRATIONS, m0005_audit_log
from node.settlement.model import ALLOWED_CLAIM_TRANSITIONS, ALLOWED_STATEMENT_TRANSITIONS

MIGRATIONS_DIR = Path(node.migrations.__file__).parent
PREV_RELEASE = Path(__file__).parent / "fixtures" / "prev_release"

# SHA-256 of each released migration's module, byte for byte. A released migration is never
# edited: the schema changes by a new migration at the end, whose pin is added here.
RELEASED = {
    "m0001_ledger.py": "1ef9adb585d850d470cd143f6019e6d1f8b810c00d6e299167cf55e57a832c77",
    "m0002_peering.py": "96c948bbfe97a2deef71c6cdcceeba54563335493652fa16629cdd0b08ac9e4e",
    "m0003_settlement.py": "599f584dc8bb4cfd1359e6d01efd43ab68d0617f3590ff1b3fe56cc884fea761",
    "m0004_pending_deliveries.py": "5db144d617edeeeac3226fe4f9cbb6eb0a6ca78bed71a6a6e6856244c166034f",
    "m0005_audit_log.py": "bfb02663cb06884aa9bf6e91251f8a9c25ecaae890f9166ef2b068a424a41c63",
    "m0006_web.py": "65e00bf93c3adbb205f1c749c874cffe620fd3d753e5cac6fc5f5d5ff2bda8bc",
    "m0007_partner_stores.py": "a339a11eee9569c1e337f7cacb5de19be017e112b5e4e01cd360619879e2de35",
    "m0008_parked_messages.py": "a2611cff16882c98092a70b1ec3952075c9640525dc332c0aa359cb19e1e001f",
    "m0009_read_indexes.py": "7b3e91324be43e0727c4bc33615ee02400dad04e0f607ef866235bb802ac0ee6",
    "m0010_server_health.py": "fe38cf509c90af5da34c066f5b4cb16aee6637cd447d326f61ec875b7e8ab83a",
    "m0011_storage_node_identity.py": "32a7a75044f2ad1ccda5c08378b3e3beb745805b8376486ec85323d54cf5d80c",
    "m0012_auth_retried_codes.py": "4147c6e1540ebda92b807ea7f6b1f6e24b2bfb36f4966dbd9f576e1f0f1de147",
    "m0013_ledger_holds_and_returns.py": "f1b2084ec50006a1bfa9908d4a8d099877538202dbef0a08b4343c57f4cc2475",
    "m0014_redemption_rest_payments.py": "b6a075ba4e1a2db05148b572db7302057db6edef7101ad65ddb0047561b9d822",
    "m0015_ledger_counter_sales.py": "040f806f1a618baf456b3807e54426aeb29af6838a62abcf125937a4cc0d793f",
    "m0016_journal_sequence.py": "066f32fa4ab2e576f530157f23efac067ca3781e50c1e0aa553cf161fe40fa4b",
    "m0017_console_staff_records.py": "e315861a86ccc8bb1f0a0a7ebfcf635e3873ae1b71db582ffe1e1c6f58a9a7b8",
    "m0018_web_api_keys.py": "b19eafe5d2fe9837f15e52c441bafefc30272d1df23a3e0a81467205846b7b8e",
    "m0019_ledger_refunds_and_fees.py": "3cf5b9ed9df9bb0c1b1b17d79d34a770a89a044ec8af774b4a0ddb7c8ebe9f45",
    "m0020_products.py": "9d53a053863c7266e7e6781ac39ae41d72f0536d7893fc065600ce4fe2cbad4b",
    "m0022_compliance_refunds.py": "4fc8919e82251c9c86bc8e0972c6bd75c1fbd06f34065f63e9e778a8968cd703",
    "m0021_payments.py": "164656e37a849f8e6f76a9e85ca3bb17e0309cd2f40da5306d5ebac4e82a8e6d",
    "m0025_payments_attention.py": "e24acb85b1a02cd1466fab0850212e41bc0fc19c93ff227f3a3e089f10ad17d3",
    "m0026_points.py": "a4c6772d892e98852ef3163c3f90be75ee60622c67a20a4b5b85a23fdf1559e9",
    "m0027_webhooks.py": "10c9b82718213027b39011d6e43f05acfdfcab3145f6a0fe6c65b028e0aa4c44",
    "m0028_points_exchange_lottery.py": "b8be4d5bf0230088dcfa5d7ea197ffb900317156ffea265f5c0e3c8a1af75dfb",
    "m0030_points_rank_runs.py": "ff383563d20a51bc86eb65c4e167f11707afc5ea7c0fc4c605fc87ad5f4cb01d",
    "m0035_campaigns.py": "d3b1e907dcbafc24dc0e9106000f80a31751431be4dbc6473427bd31f9f6fb3e",
    "m0036_campaign_store_banks.py": "b28e862d58d962cc2c5ca87b305488f7eb2b648cee1ffeffe4c28e6edc0453ec",
    "m0037_campaign_payouts.py": "4777acc8142ef864d9fd2bb1ea97261e2c3f46292c891dfe38beb7173700d169",
    "m0038_campaign_eligibility.py": "acf687458d58dbd25c4cdb5ebbb6456fbae1e8be0caaefcb74e0dc484290cc6a",
    "m0039_campaign_stores.py": "f1a34e2cdb52e62acbc13e69823bb725f1086fd9ab734ef8d7143d158805742e",
    "m0040_campaign_gates.py": "c11420137f1f15b311756cded77855ca598a3aabada1ce0c82b2d00798550c83",
    "m0041_campaign_premium_sales.py": "c2255ddeb03b21fe0a8dc0caa3f6d6678835f4763248444d82d647c86d31144e",
    "m0042_campaign_keys.py": "584d9182ca9e218518e45c65c7a4189f243068bd701398100ab257134e42bdc3",
    "m0043_campaign_payout_carries.py": "c1af71b269ec8c7aa686cb59a97b320a6c61c450e465594a05e77fa8260fbdcf",
    "m0044_crm_profiles_consents_segments.py": (
        "0d8d9198f48549e23282bde15999799f7bb055d21b67daef07826d8a8a00be45"
    ),
    "m0045_crm_mail.py": "03c51bb9f0dc5ff87ee1acd54c47fd0c2ecf4f2c8ec67f0439c00f15ad547eee",
    "m0046_crm_erasures.py": "b242adab00ca83b9af9d0a47014d69cc5077fa1d61ed0e1bd3f10d94233493a3",
    "m0047_crm_mail_offers.py": "0095127f0033b44b6d6d936f4ca006348988f8477185c7d6c586993725d774cf",
    "m0048_crm_spend_change_indexes.py": "04983e85d65846cd872ac7bfa7a850eade64333b8e7418be1005ba4d8e838f7d",
}


def pin_problems(directory: Path, pins: dict[str, str]) -> list[str]:
    """Each migration module that differs from its pin, or has none, or is gone."""
    found = {path.name: path for path in sorted(directory.glob("m[0-9][0-9][0-9][0-9]_*.py"))}
    problems = []
    for name, path in found.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if name not in pins:
            problems.append(f"{name}: not pinned (add its SHA-256 {digest} once it is released)")
        elif digest != pins[name]:
            problems.append(f"{name}: changed after its release (SHA-256 now {digest})")
    problems += [f"{name}: a released migration is missing" for name in pins if name not in found]
    return problems


def test_released_migrations_are_unchanged() -> None:
    assert pin_problems(MIGRATIONS_DIR, RELEASED) == []


def test_the_pin_check_names_an_edited_an_unpinned_and_a_missing_migration(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy)
    edited = copy / "m0003_settlement.py"
    edited.write_text(edited.read_text().replace("'CLAIMED', 'ACCEPTED'", "'ACCEPTED', 'CLAIMED'"))
    (copy / "m0013_ledger_points.py").write_text('SQL = "CREATE TABLE points (p INTEGER)"\n')
    (copy / "m0010_server_health.py").unlink()
    problems = pin_problems(copy, RELEASED)
    assert [p.split(":")[0] for p in problems] == [
        "m0003_settlement.py",
        "m0013_ledger_points.py",
        "m0010_server_health.py",
    ], problems
    assert "changed after its release" in problems[0]
    assert "not pinned" in problems[1]
    assert "missing" in problems[2]


def test_the_list_runs_every_module_once_in_order() -> None:
    modules = sorted(p.stem for p in MIGRATIONS_DIR.glob("m[0-9][0-9][0-9][0-9]_*.py"))
    assert [f"m{name}" for name, _ in MIGRATIONS] == modules
    for name, apply in MIGRATIONS:
        assert apply.__module__ == f"node.migrations.m{name}"


FROZEN_IMPORTS = {"__future__", "sqlite3", "hashlib", "typing", "msgpack", "node.db"}
FROZEN_FROM_DB = {"run_script"}  # the only name of node.db a migration may import

# SHA-256 of `node.db.run_script`'s source: the migrations run their SQL through it, so a change to
# how it splits a script would change what a released migration does. Change it only with a
# new migration runner the old migrations do not use.
RUN_SCRIPT_PIN = "271e51f5794387dd5a860522db9450bebac9e6a2c1f8301e6b3c3dba237ced8d"


def run_script_problem(source: str) -> str | None:
    digest = hashlib.sha256(source.encode()).hexdigest()
    if digest == RUN_SCRIPT_PIN:
        return None
    return f"node.db.run_script changed (SHA-256 now {digest}): the released migrations run it"


def test_the_script_runner_the_migrations_use_is_unchanged() -> None:
    source = inspect.getsource(db.run_script)
    assert run_script_problem(source) is None
    planted = source.replace('piece + ";"', "piece")  # splitting differently
    assert run_script_problem(planted) is not None


def live_imports(directory: Path) -> list[str]:
    """Each import of a migration module beyond the database runner and the standard tools:
    frozen means self-contained, nothing of the node's rules, messages or tables that a later
    change could alter."""
    found = []
    for path in sorted(directory.glob("m[0-9][0-9][0-9][0-9]_*.py")):
        for statement in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(statement, ast.ImportFrom):
                names = [statement.module or ""]
                if statement.module == "node.db":
                    names += [
                        f"node.db.{alias.name}"
                        for alias in statement.names
                        if alias.name not in FROZEN_FROM_DB
                    ]
            elif isinstance(statement, ast.Import):
                names = [alias.name for alias in statement.names]
            else:
                continue
            found += [
                f"{path.name}:{statement.lineno}: {name}"
                for name in names
                if name not in FROZEN_IMPORTS
            ]
    return found


def test_migrations_import_no_live_rule(tmp_path: Path) -> None:
    assert live_imports(MIGRATIONS_DIR) == []
    planted = tmp_path / "m0013_settlement_disputes.py"
    planted.write_text(
        "import sqlite3\n\nfrom node.settlement.model import ClaimStatus\n"
        "from node.db import connect, run_script\n"
    )
    assert live_imports(tmp_path) == [
        "m0013_settlement_disputes.py:3: node.settlement.model",
        "m0013_settlement_disputes.py:4: node.db.connect",
    ]


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name != 'schema_migrations' ORDER BY name"
    ).fetchall()
    return [(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows]


def _fresh(path: Path) -> sqlite3.Connection:
    conn = db.connect(path)
    db.migrate(conn, MIGRATIONS)
    return conn


def _entry(conn: sqlite3.Connection, txn: str, kind: str, lines: list[tuple[str, int]]) -> None:
    conn.execute("BEGIN")
    for line, (account, amount) in enumerate(lines):
        conn.execute("INSERT INTO postings VALUES (?, ?, ?, ?)", (txn, line, account, amount))
    conn.execute("INSERT INTO journal VALUES (?, ?, 0)", (txn, kind))
    conn.execute("COMMIT")


def test_a_node_upgraded_from_the_first_schema_equals_a_new_node(tmp_path: Path) -> None:
    """A database at schema 0001 holding a voucher, a journal entry and a used code, upgraded by
    today's 0002 onwards, ends with the `sqlite_master` (whitespace aside) of a database that
    today's migrations make from nothing, keeps its data (the balance), and takes what later
    migrations allow (0003's journal kinds, 0012's empty redemption id). Both sides run today's
    migration code, so it proves the chain is consistent, not that it equals what a release did:
    the pins and test_a_new_node_has_the_schema_of_the_last_release do that."""
    old = db.connect(tmp_path / "old.db")
    db.migrate(old, MIGRATIONS[:1])
    old.execute("INSERT INTO stores VALUES ('st_a', '本店', 0)")
    old.execute("INSERT INTO customers VALUES ('cu_a', 'Aiko', 'a@example.com', 0)")
    old.execute(
        "INSERT INTO vouchers (voucher_id, face_yen, price_yen, status, holder_id, created_at,"
        " is_gift, secret) VALUES ('v1', 1000, 1000, 'active', 'cu_a', 0, 0, zeroblob(32))"
    )
    _entry(old, "tx_issue", "issue", [("cash:hq", 1000), ("voucher:v1", -1000)])
    old.execute("INSERT INTO used_codes VALUES ('v1', 7, 'n1')")

    applied = db.migrate(old, MIGRATIONS)

    assert applied == [name for name, _ in MIGRATIONS[1:]]
    assert _schema(old) == _schema(_fresh(tmp_path / "new.db"))
    balance = old.execute("SELECT balance_yen FROM vouchers WHERE voucher_id = 'v1'").fetchone()
    assert tuple(balance) == (1000,)
    _entry(old, "tx_claim", "claim", [("payable:peer", -200), ("voucher:v1", 200)])  # 0003's kinds
    used = old.execute("SELECT redemption_id FROM used_codes").fetchall()
    assert [tuple(row) for row in used] == [(None,)]  # 0012


def test_the_last_release_upgraded_has_the_schema_of_a_new_node(tmp_path: Path) -> None:
    """The fixture's databases were made by the release's own code (make_prev_release.py); the
    migrations added since bring them to exactly a new node's schema."""
    made_new = _fresh(tmp_path / "new.db")
    for home in ("a", "b"):
        released = sqlite3.connect(_released_copy(home, tmp_path))
        db.migrate(released, MIGRATIONS)
        query = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        made = [tuple(row) for row in made_new.execute(query)]
        assert made == released.execute(query).fetchall()
        released.close()


def _released_copy(home: str, tmp_path: Path) -> Path:
    """A private copy of a released database: SQLite writes -shm and -wal files beside any
    database it opens, and the fixture stays as the release made it."""
    copy = tmp_path / f"released-{home}.db"
    shutil.copyfile(PREV_RELEASE / home / "kippu.db", copy)
    return copy


def _released_topics(path: Path) -> list[tuple[bytes, str, str]]:
    """(envelope, msg_id, topic the release's log writer gave it) for every logged message."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT a.envelope, o.msg_id, a.topic FROM audit_log a"
            " JOIN outbox o ON o.envelope = a.envelope"
            " UNION ALL SELECT a.envelope, i.msg_id, a.topic FROM audit_log a"
            " JOIN inbox i ON i.envelope = a.envelope"
        ).fetchall()
    finally:
        conn.close()
    return [(bytes(envelope), msg_id, topic) for envelope, msg_id, topic in rows]


@pytest.mark.parametrize("home", ["a", "b"])
def test_the_frozen_decoder_files_each_message_where_the_release_did(
    home: str, tmp_path: Path
) -> None:
    logged = _released_topics(_released_copy(home, tmp_path))
    about_claims = [t for _, msg_id, t in logged if t != msg_id]
    assert len(logged) >= 10 and len(about_claims) >= 4, logged  # claims and statements too
    for envelope, msg_id, topic in logged:
        assert m0005_audit_log.topic(envelope, msg_id) == topic


def test_the_backfill_logs_every_stored_envelope(tmp_path: Path) -> None:
    """0005 on a database of 0004 holding the release's stored messages: each message, each
    reply we gave and each reply we got is logged once, messages under their topic."""
    conn = db.connect(tmp_path / "upgraded.db")
    db.migrate(conn, MIGRATIONS[:4])
    released = _released_copy("b", tmp_path)
    conn.execute("ATTACH DATABASE ? AS released", (str(released),))
    conn.execute("BEGIN")
    conn.execute("INSERT INTO outbox SELECT * FROM released.outbox")
    conn.execute("INSERT INTO inbox SELECT * FROM released.inbox")
    columns = "peer, seq, delivered_at, reply, attempts, next_attempt_at, last_error"
    conn.execute(f"INSERT INTO deliveries SELECT {columns} FROM released.deliveries")  # noqa: S608
    conn.execute("COMMIT")
    conn.execute("DETACH DATABASE released")
    db.migrate(conn, MIGRATIONS[:5])
    counts = conn.execute(
        "SELECT (SELECT count(*) FROM outbox) + 2 * (SELECT count(*) FROM inbox)"
        " + (SELECT count(*) FROM deliveries WHERE reply IS NOT NULL),"
        " (SELECT count(*) FROM audit_log), (SELECT count(DISTINCT leaf) FROM audit_log)"
    ).fetchone()
    assert counts[0] == counts[1] == counts[2] > 10, counts
    for envelope, msg_id, topic in _released_topics(released):
        (ours,) = conn.execute(
            "SELECT topic FROM audit_log WHERE envelope = ?", (envelope,)
        ).fetchone()
        assert ours == topic, msg_id


def _trigger_pairs(conn: sqlite3.Connection, trigger: str) -> set[tuple[str, str]]:
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (trigger,)).fetchone()
    return set(re.findall(r"OLD\.status = '(\w+)' AND NEW\.status = '(\w+)'", sql))


def test_the_lifecycle_triggers_hold_the_models_transitions(tmp_path: Path) -> None:
    """The triggers were written from these tables when released; a change to a table needs a
    new migration that replaces its trigger, and this test says so."""
    conn = _fresh(tmp_path / "new.db")
    for trigger, table in (
        ("claims_lifecycle", ALLOWED_CLAIM_TRANSITIONS),
        ("statements_lifecycle", ALLOWED_STATEMENT_TRANSITIONS),
    ):
        assert _trigger_pairs(conn, trigger) == {(str(a), str(b)) for a, b in table}, trigger
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'vouchers_lifecycle'"
    ).fetchone()
    allowed = {(str(a), str(b)) for a, b in ALLOWED_TRANSITIONS}
    assert allowed == {("active", "exhausted"), ("active", "expired"), ("active", "void")} | {
        ("exhausted", "active")
    }
    assert "OLD.status = 'active' AND NEW.status IN ('exhausted', 'expired', 'void')" in sql
    assert "OLD.status = 'exhausted' AND NEW.status = 'active'" in sql
