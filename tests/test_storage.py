"""The node's files: private modes, a damaged, read-only or foreign database refused at start with a
stable code, a home that cannot be written refused before listening, a full disk answered 503."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner, Result

from cli import main
from node import db
from node.backup import make_backup
from node.home import NodeHome
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, NodeHandle, SeededRandomness, make_home


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def companions(home: NodeHome) -> list[Path]:
    base = home.database_path
    return [base.with_name(base.name + suffix) for suffix in ("-wal", "-shm")]


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make a file or directory read-only for the user running the tests, root included."""
    if os.geteuid() == 0:  # root writes through modes: the immutable attribute stops it too
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if made.returncode != 0:
            pytest.skip(f"cannot make {path} read-only as root here: {made.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        before = mode(path)
        path.chmod(before & 0o555)
        try:
            yield
        finally:
            path.chmod(before)


# -- item 6: spending secrets are readable ------------------------------------------------------


def test_init_into_an_open_directory_makes_the_database_private(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    root.mkdir()
    root.chmod(0o755)
    home = NodeHome(root)
    assert kippu(home, "init", "--name", "Modes", "--json").exit_code == 0
    assert mode(home.database_path) == 0o600
    assert mode(home.key_path) == 0o600
    fresh = NodeHome(tmp_path / "new" / "home")
    assert kippu(fresh, "init", "--name", "Fresh", "--json").exit_code == 0
    assert mode(fresh.root) == 0o700


def test_the_wal_and_shm_are_private_after_a_write(node: NodeHandle) -> None:
    node.client.post("stores", {"name": "本店"})
    wal, shm = companions(node.home)
    assert wal.exists() and wal.stat().st_size > 0  # the write is in the WAL right now
    assert (mode(node.home.database_path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)


def test_a_home_made_by_an_older_version_is_made_private_at_start(tmp_path: Path) -> None:
    home = make_home(tmp_path / "old")
    conn = sqlite3.connect(home.database_path)  # leaves a -wal and -shm, as a crash would
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("INSERT INTO stores VALUES ('st_old', 'old', 0)")
    for path in (home.database_path, *companions(home)):
        path.chmod(0o644)
    db.connect(home.database_path).close()  # what the node's writer does first at start
    conn.close()
    assert mode(home.database_path) == 0o600
    assert all(mode(path) == 0o600 for path in companions(home) if path.exists())


def test_a_backup_is_private(home: NodeHome, tmp_path: Path) -> None:
    before = os.umask(0o022)  # a usual umask would make new files 0644
    try:
        made = make_backup(home.database_path, tmp_path / "b.db")
    finally:
        os.umask(before)
    assert mode(made.path) == 0o600


# -- item 8: bad files and disks get clear, stable errors ---------------------------------------


def test_a_config_that_is_not_utf8_is_config_invalid(home: NodeHome) -> None:
    home.config_path.write_bytes('[node]\nname = "居酒屋"\n'.encode("shift_jis"))
    result = kippu(home, "serve")
    assert result.exit_code == 1
    assert "is not UTF-8" in result.stderr and "[config.invalid]" in result.stderr


def test_a_read_only_home_is_refused_before_listening(home: NodeHome) -> None:
    with unwritable(home.root):
        result = kippu(home, "serve", "--no-discovery")
    assert result.exit_code == 1
    assert "[storage.home_read_only]" in result.stderr
    assert not home.token_path.exists()


def test_a_read_only_database_is_refused_at_start(home: NodeHome) -> None:
    with unwritable(home.database_path):
        result = kippu(home, "serve", "--no-discovery")
    assert result.exit_code == 1
    assert "[storage.read_only]" in result.stderr, result.stderr
    assert not home.token_path.exists()


def test_a_backup_copied_over_a_live_wal_is_refused_at_start(
    home: NodeHome, tmp_path: Path
) -> None:
    """What the old docs led to: a backup copied over kippu.db while the old -wal/-shm stayed."""
    conn = db.connect(home.database_path)
    make_backup(home.database_path, tmp_path / "b.db")
    for i in range(300):
        conn.execute("INSERT INTO stores VALUES (?, ?, 0)", (f"st_{i}", "店" * 200))
    for path in companions(home):  # the files a kill -9 leaves behind
        shutil.copy(path, tmp_path / path.name)
    conn.close()
    shutil.copy(tmp_path / "b.db", home.database_path)
    for path in companions(home):
        shutil.copy(tmp_path / path.name, path)
    result = kippu(home, "serve", "--no-discovery")
    assert result.exit_code == 1
    assert "[storage.damaged]" in result.stderr, result.stderr
    assert "kippu restore" in result.stderr
    assert not home.token_path.exists()


def test_a_database_of_another_node_is_refused_at_start(tmp_path: Path) -> None:
    first, second = make_home(tmp_path / "first"), make_home(tmp_path / "second")
    node = load_node(first, FakeClock(), SeededRandomness())
    _serve_once(node)
    shutil.copy(first.database_path, second.database_path)
    result = kippu(second, "serve", "--no-discovery")
    assert result.exit_code == 1
    assert "[storage.other_node]" in result.stderr, result.stderr


def _serve_once(node: Node) -> None:
    import asyncio

    async def once() -> None:
        runner, _ = await start(node, "127.0.0.1", 0)
        await runner.cleanup()

    asyncio.run(once())


@asynccontextmanager
async def serving(home: NodeHome) -> AsyncIterator[tuple[Node, aiohttp.ClientSession, str]]:
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, port = await start(node, "127.0.0.1", 0)
    headers = {"Authorization": f"Bearer {node.admin_token}"}
    try:
        async with aiohttp.ClientSession(headers=headers) as session:
            yield node, session, f"http://127.0.0.1:{port}/api/v1"
    finally:
        await runner.cleanup()


def _no_room_to_grow(conn: sqlite3.Connection) -> None:
    """From now on the database may not grow by one page: SQLite answers SQLITE_FULL, as on a
    full disk (PRAGMA max_page_count; a real full file system needs root to make)."""
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


async def test_a_full_disk_is_answered_storage_disk_full_and_changes_nothing(
    home: NodeHome,
) -> None:
    async with serving(home) as (node, session, api):
        await node.require_writer().submit(_no_room_to_grow)
        added = 0
        for i in range(5_000):
            async with session.post(f"{api}/stores", json={"name": f"店舗{i:04d}" * 8}) as reply:
                answer = await reply.json()
                if reply.status != 201:
                    break
                added += 1
        assert reply.status == 503, answer
        assert answer["error"]["code"] == "storage.disk_full"
        assert "full" in answer["error"]["message"]
        async with session.get(f"{api}/stores") as listed:
            assert len((await listed.json())["stores"]) == added  # the refused one left nothing
        await node.require_writer().submit(
            lambda conn: conn.execute("PRAGMA max_page_count = 1073741823")
        )
        async with session.post(f"{api}/stores", json={"name": "after"}) as reply:
            assert reply.status == 201  # room again: the node goes on by itself


async def test_a_database_that_turned_read_only_is_answered_storage_read_only(
    home: NodeHome,
) -> None:
    async with serving(home) as (node, session, api):
        await node.require_writer().submit(lambda conn: conn.execute("PRAGMA query_only = ON"))
        async with session.post(f"{api}/stores", json={"name": "本店"}) as reply:
            answer = await reply.json()
        assert reply.status == 503
        assert answer["error"]["code"] == "storage.read_only"
        async with session.get(f"{api}/stores") as listed:
            assert (await listed.json())["stores"] == []
