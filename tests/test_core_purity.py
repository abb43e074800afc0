"""The functional core never does I/O, reads the clock or draws randomness."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE_MODULES = [
    "node/ledger/model.py",
    "node/ledger/core.py",
    "node/ledger/payouts.py",
    "node/ledger/qr.py",
    "node/ledger/calendar.py",
    "node/ledger/numbers.py",
    "node/settlement/model.py",
    "node/settlement/core.py",
    "node/merkle.py",
    "node/products/model.py",
    "node/products/core.py",
    "node/settlement/book.py",
    "node/settlement/protocol.py",
    "node/settlement/statement_protocol.py",
    "node/settlement/payment_protocol.py",
    "node/compliance/refund_model.py",
    "node/compliance/refund_rules.py",
    "node/points/rank_model.py",
    "node/points/rank_core.py",
    "node/points/model.py",
    "node/points/core.py",
    "node/points/numbers.py",
    "node/campaigns/kana.py",
    "node/campaigns/zengin.py",
    "node/campaigns/payout_core.py",
    "node/campaigns/carry_core.py",
]
FORBIDDEN_IMPORTS = {
    "aiohttp",
    "aiosqlite",
    "sqlite3",
    "asyncio",
    "socket",
    "os",
    "time",
    "random",
    "secrets",
    "subprocess",
    "threading",
    "urllib",
    "pathlib",
    "node.writer",
    "node.db",
    "node.app",
}
FORBIDDEN_CALLS = {"now", "utcnow", "today", "time", "open", "token_bytes", "urandom"}


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_has_no_io(module: str) -> None:
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_IMPORTS and name not in FORBIDDEN_IMPORTS, (
                f"{module} imports {name}"
            )
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert called not in FORBIDDEN_CALLS, f"{module} calls {called}()"
        if isinstance(node, ast.AsyncFunctionDef | ast.Await):
            pytest.fail(f"{module} awaits")
