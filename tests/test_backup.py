"""`kippu backup` under load and `kippu restore`: the restored books are an exact prefix of what the
node acknowledged, and restore refuses what would break a node."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner, Result

from cli import main
from node.admin_client import AdminClient
from node.backup import make_backup, restore_backup
from node.config import ListenAddress, render_config
from node.demo import free_port, running_node
from node.errors import BackupInvalid, NodeRunning
from node.home import NodeHome
from tests.conftest import FakeClock, NodeHandle, NodeThread, make_home

VOUCHERS = 16
FACE_YEN = 100_000


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def served_home(root: Path, name: str) -> NodeHome:
    home = make_home(root, name)
    listen = ListenAddress("127.0.0.1", free_port())
    home.config_path.write_text(render_config(name, listen), encoding="utf-8")
    return home


@dataclass
class Load:
    """Redemptions of 1 yen, sent continuously until told to stop; each acknowledgement in order."""

    acked: list[str] = field(default_factory=list)  # redemption ids, in the order answered 201
    refused: list[object] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Condition = field(default_factory=asyncio.Condition)  # after each answer


async def redeem_until_stopped(
    api: AdminClient, store_id: str, vouchers: list[str], load: Load
) -> None:
    headers = {"Authorization": f"Bearer {api.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def client(voucher_id: str) -> None:
            while not load.stop.is_set():
                async with session.get(f"{api.base_url}/api/v1/vouchers/{voucher_id}/code") as got:
                    payload = (await got.json())["payload"]
                body = {"payload": payload, "amount": 1, "store_id": store_id}
                async with session.post(f"{api.base_url}/api/v1/redemptions", json=body) as made:
                    answer = await made.json()
                if made.status == 201:
                    load.acked.append(answer["redemption_id"])
                else:
                    load.refused.append(answer)
                async with load.answered:
                    load.answered.notify_all()

        await asyncio.gather(*(client(v) for v in vouchers))


async def until(load: Load, acked: int, what: str) -> None:
    """Wait until the load has `acked` redemptions answered 201 (woken by each answer)."""
    try:
        async with load.answered:
            await asyncio.wait_for(load.answered.wait_for(lambda: len(load.acked) >= acked), 60)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def back_up_mid_load(
    api: AdminClient, home: NodeHome, out: Path
) -> tuple[Load, set[str], subprocess.CompletedProcess[bytes]]:
    store_id = api.post("stores", {"name": "新宿店"})["store_id"]
    vouchers = [api.post("vouchers", {"amount": FACE_YEN})["voucher_id"] for _ in range(VOUCHERS)]
    load = Load()
    clients = asyncio.create_task(redeem_until_stopped(api, store_id, vouchers, load))
    await until(load, 150, "the load to get going")
    acked_before = set(load.acked)  # answered before the backup started
    backup = await asyncio.create_subprocess_exec(  # the real command, in its own process
        sys.executable, "-m", "cli", "backup", "--out", str(out), "--home", str(home.root),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await backup.communicate()
    during = len(load.acked) - len(acked_before)
    goal = len(load.acked) + 100
    await until(load, goal, "the load to go on after the backup")
    load.stop.set()
    await clients
    assert during > 0, "the node must have taken redemptions while the backup ran"
    done = subprocess.CompletedProcess(["kippu", "backup"], backup.returncode or 0, stdout, stderr)
    return load, acked_before, done


def redemptions_in(database: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT receipt_no, redemption_id FROM redemptions ORDER BY receipt_no")
        return [(str(r[0]), str(r[1])) for r in rows]
    finally:
        conn.close()


def test_a_backup_under_load_restores_to_an_exact_prefix_of_what_was_acknowledged(
    tmp_path: Path,
) -> None:
    home = served_home(tmp_path / "live", "Backup Izakaya")
    out = tmp_path / "offsite" / "kippu-backup.db"
    out.parent.mkdir()
    with running_node(home, home.root / "node.log") as api:
        node_id = api.get("status")["node_id"]
        load, acked_before, backup = asyncio.run(back_up_mid_load(api, home, out))
        final_books = redemptions_in(home.database_path)
    assert backup.returncode == 0, backup.stderr.decode()
    assert b"integrity: ok" in backup.stdout
    assert load.refused == [] and len(set(load.acked)) == len(load.acked)
    assert {rid for _, rid in final_books} == set(load.acked)  # the books are what was answered
    assert mode(out) == 0o600
    assert not list(out.parent.glob(".*partial*"))

    # A fresh machine: the key and config kept offline, then the backup.
    fresh = NodeHome(tmp_path / "fresh")
    fresh.root.mkdir(mode=0o700)
    shutil.copy2(home.key_path, fresh.key_path)
    shutil.copy2(home.config_path, fresh.config_path)
    restored = kippu(fresh, "restore", str(out), "--json")
    assert restored.exit_code == 0, restored.stderr
    assert mode(fresh.database_path) == 0o600

    books = redemptions_in(fresh.database_path)
    in_backup = {rid for _, rid in books}
    assert in_backup <= set(load.acked), "the backup holds a redemption never acknowledged"
    assert acked_before <= in_backup, "an acknowledged redemption is missing from the backup"
    assert len(in_backup) < len(load.acked), "the backup must have been taken mid-load"
    # Exact prefix: the receipts (numbered in commit order) run 1..n with no hole.
    assert [receipt for receipt, _ in books] == [f"R{i:08d}" for i in range(1, len(books) + 1)]
    assert books == final_books[: len(books)]

    with running_node(fresh, fresh.root / "node.log") as restored_api:
        check = restored_api.get("ledger/check")
        assert check["ok"] is True, check
        assert check["voucher_liability"] == FACE_YEN * VOUCHERS - len(books)
        assert restored_api.get("status")["node_id"] == node_id


def test_restore_refuses_while_the_node_runs(node: NodeHandle, tmp_path: Path) -> None:
    backup = make_backup(node.home.database_path, tmp_path / "b.db").path
    before = node.home.database_path.read_bytes()
    result = kippu(node.home, "restore", str(backup))
    assert result.exit_code == 1
    assert "[storage.node_running]" in result.stderr
    assert node.home.database_path.read_bytes() == before
    assert node.client.get("status")  # still serving


def test_restore_keeps_the_replaced_files_and_removes_the_stale_wal(
    home: NodeHome, tmp_path: Path
) -> None:
    backup = make_backup(home.database_path, tmp_path / "b.db").path
    live = sqlite3.connect(home.database_path)  # a later write, left in a -wal as by kill -9
    live.execute("INSERT INTO stores VALUES ('st_later', 'later', 0)")
    wal = home.database_path.with_name("kippu.db-wal")
    shm = home.database_path.with_name("kippu.db-shm")
    saved = {path: path.read_bytes() for path in (home.database_path, wal, shm)}
    live.close()
    for path, content in saved.items():
        path.write_bytes(content)
    at = datetime(2026, 12, 2, 3, 4, 5, tzinfo=UTC)

    restored = restore_backup(home, backup, now=at)

    kept = {path.name: path for path in restored.kept}
    assert set(kept) == {
        "kippu.db.replaced-20261202T030405Z",
        "kippu.db-wal.replaced-20261202T030405Z",
        "kippu.db-shm.replaced-20261202T030405Z",
    }
    assert not wal.exists() and not shm.exists()
    assert kept["kippu.db-wal.replaced-20261202T030405Z"].read_bytes() == saved[wal]
    assert mode(home.database_path) == 0o600
    assert redemptions_in(home.database_path) == []
    conn = sqlite3.connect(home.database_path)
    assert conn.execute("SELECT count(*) FROM stores").fetchone()[0] == 0  # the backup's state
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_restore_refuses_what_is_not_a_sound_backup_of_this_node(
    home: NodeHome, tmp_path: Path
) -> None:
    before = home.database_path.read_bytes()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    torn = tmp_path / "torn.db"
    make_backup(home.database_path, torn)
    torn.write_bytes(torn.read_bytes()[: 3 * 2048])
    for bad in (garbage, foreign, torn, tmp_path / "absent.db"):
        with pytest.raises(BackupInvalid):
            restore_backup(home, bad)
    other = make_home(tmp_path / "other", "Other")  # served once: its database knows its node
    served_once = NodeThread(other, FakeClock())
    served_once.start()
    served_once.stop()
    with pytest.raises(BackupInvalid, match="is a backup of node"):
        restore_backup(home, make_backup(other.database_path, tmp_path / "other.db").path)
    assert home.database_path.read_bytes() == before
    assert not list(home.root.glob("*.replaced-*"))


def test_a_backup_refuses_a_home_with_no_database(tmp_path: Path) -> None:
    result = kippu(NodeHome(tmp_path / "nothing"), "backup", "--out", str(tmp_path / "b.db"))
    assert result.exit_code == 1 and "[storage.backup_failed]" in result.stderr
    assert not (tmp_path / "b.db").exists()


def test_node_running_is_detected_by_the_lock_not_the_token(node: NodeHandle) -> None:
    node.home.token_path.unlink()  # a token deleted by hand does not make the node stopped
    with pytest.raises(NodeRunning):
        restore_backup(node.home, node.home.database_path)


def test_restore_into_a_home_without_the_key_says_to_bring_the_key(tmp_path: Path) -> None:
    source = make_home(tmp_path / "source")
    backup = make_backup(source.database_path, tmp_path / "b.db").path
    bare = NodeHome(tmp_path / "bare")
    bare.root.mkdir()
    result = kippu(bare, "restore", str(backup))
    assert result.exit_code == 1
    assert "node.key" in result.stderr and "[config.invalid]" in result.stderr
    assert not bare.database_path.exists()


def test_a_backup_refuses_to_overwrite_the_live_database_or_the_homes_files(
    node: NodeHandle, tmp_path: Path
) -> None:
    """`--out` naming the database (by any path: a symlink, a symlinked directory), its -wal,
    -shm or lock, or node.key / config.toml is refused: replacing one of them would destroy the
    running node's books or its identity. Nothing is written."""
    home = node.home
    database = home.database_path
    linked_home = tmp_path / "linked-home"
    linked_home.symlink_to(home.root, target_is_directory=True)
    alias = tmp_path / "latest.db"
    alias.symlink_to(database)
    protected = [
        database,
        database.with_name("kippu.db-wal"),
        database.with_name("kippu.db-shm"),
        database.with_name("kippu.db.lock"),
        home.key_path,
        home.config_path,
    ]
    before = {path: (path.stat().st_ino, path.stat().st_size) for path in protected}
    key, config = home.key_path.read_bytes(), home.config_path.read_bytes()
    targets = [*protected, linked_home / "kippu.db", alias]
    for target in targets:
        result = kippu(home, "backup", "--out", str(target))
        assert result.exit_code == 1, (target, result.output)
        assert "[storage.backup_failed]" in result.stderr, result.stderr
        assert "nothing was written" in result.stderr
    assert {path: path.stat().st_ino for path in protected} == {
        path: ino for path, (ino, _) in before.items()
    }
    assert home.key_path.read_bytes() == key and home.config_path.read_bytes() == config
    assert alias.is_symlink()
    assert not [p for p in home.root.iterdir() if "partial" in p.name]
    assert node.client.get("ledger/check")["ok"] is True  # the node serves its books as before


def test_restore_refuses_a_backup_that_does_not_know_the_homes_key(
    home: NodeHome, tmp_path: Path
) -> None:
    """A backup made before `kippu key rotate` does not record the key node.key holds now: served
    with it, the node would sign checkpoints with a key its own books do not list (`kippu audit
    verify` fails them). Refused, unless the admin says so; a node.key older than the backup's
    latest key (retired by a rotation the backup records) is refused too."""
    running = NodeThread(home, FakeClock())
    handle = running.start()
    try:
        before_rotation = make_backup(home.database_path, tmp_path / "before.db").path
        original_key = home.key_path.read_bytes()
        handle.client.post("key/rotate")
        after_rotation = make_backup(home.database_path, tmp_path / "after.db").path
    finally:
        running.stop()
    database = home.database_path.read_bytes()

    refused = kippu(home, "restore", str(before_rotation))
    assert refused.exit_code == 1
    assert "[storage.backup_invalid]" in refused.stderr
    assert "key rotate" in refused.stderr and "--accept-unknown-key" in refused.stderr
    assert home.database_path.read_bytes() == database
    assert not list(home.root.glob("*.replaced-*"))

    assert kippu(home, "restore", str(after_rotation)).exit_code == 0  # knows the current key

    rotated_key = home.key_path.read_bytes()
    home.key_path.write_bytes(original_key)  # an offline copy kept from before the rotation
    retired = kippu(home, "restore", str(after_rotation))
    assert retired.exit_code == 1
    assert "[storage.backup_invalid]" in retired.stderr and "retired" in retired.stderr
    home.key_path.write_bytes(rotated_key)

    accepted = kippu(home, "restore", str(before_rotation), "--accept-unknown-key")
    assert accepted.exit_code == 0, accepted.stderr
    assert redemptions_in(home.database_path) == []


def test_restore_keeps_the_replaced_files_private(home: NodeHome, tmp_path: Path) -> None:
    """A home made by an older version may hold a 0644 kippu.db: the copy restore keeps of it
    holds every voucher's secret, so it is 0600 whatever the original's mode."""
    backup = make_backup(home.database_path, tmp_path / "b.db").path
    live = sqlite3.connect(home.database_path)
    live.execute("INSERT INTO stores VALUES ('st_later', 'later', 0)")  # leaves a -wal behind
    wal = home.database_path.with_name("kippu.db-wal")
    saved = wal.read_bytes()
    live.close()
    wal.write_bytes(saved)
    for path in (home.database_path, wal):
        path.chmod(0o644)
    restored = restore_backup(home, backup)
    assert len(restored.kept) >= 2
    assert {path.name: mode(path) for path in restored.kept} == {
        path.name: 0o600 for path in restored.kept
    }
