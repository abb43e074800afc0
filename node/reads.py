"""Pools of read-only SQLite connections: a slow read never queues another read behind it.

aiosqlite runs each connection's statements one after another in that connection's thread, so
with one shared reader a dashboard or a CSV export made every counter wait for it (issue 13,
item 7). A `ReadPool` holds several read-only connections (`mode=ro`, `query_only`); each
statement borrows an idle one and gives it back when its rows are read. The database is in WAL
mode (the writer sets it), so readers never block the writer and the writer never blocks them.

The node keeps two pools (node/app.py): `reader` for everything on a customer's or a counter's
path, and a small `reports` lane for the console's long reads (dashboard, CSV export, record
pages). A report borrows only from its own lane, so however many reports run, the counter's
connections stay free; reports beyond the lane's size wait for a report connection, not the
counter for them.

A pool looks like an aiosqlite connection to its callers (`execute_fetchall`, `execute` as an
async context manager): the `Reader` protocol names those two methods, and a plain
`aiosqlite.Connection` satisfies it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, Protocol, cast

import aiosqlite

# Four counter connections: two cores run at most two statements at once, and two more cover
# statements waiting on the disk. The report lane has two: one CSV export and one dashboard.
READER_CONNECTIONS = 4
REPORT_CONNECTIONS = 2
# Each connection has its own page cache; 16 MiB each keeps six of them modest.
CACHE_KIB = 16_384
BUSY_TIMEOUT_MS = 5000


class Reader(Protocol):
    """What read code needs of a database: a ReadPool or one aiosqlite connection."""

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[sqlite3.Row]: ...

    def execute(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> AbstractAsyncContextManager[aiosqlite.Cursor]: ...


async def open_read_only(path: Path) -> aiosqlite.Connection:
    """One connection that cannot write, whatever SQL it is given."""
    conn = await aiosqlite.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row  # rows are read by column name (issue 14, item 2)
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        await conn.execute("PRAGMA query_only = ON")
    except BaseException:
        await conn.close()
        raise
    return conn


class ReadPool:
    """`size` read-only connections to one database, lent out one statement at a time."""

    def __init__(self, path: Path, size: int) -> None:
        if size < 1:
            raise ValueError("a read pool needs at least one connection")
        self._path = path
        self._size = size
        self._all: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()

    @property
    def size(self) -> int:
        return self._size

    async def open(self) -> None:
        try:
            for _ in range(self._size):
                conn = await open_read_only(self._path)
                self._all.append(conn)
                self._idle.put_nowait(conn)
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        while self._all:
            await self._all.pop().close()
        self._idle = asyncio.Queue()

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[aiosqlite.Connection]:
        """Borrow one connection for several statements (one read transaction, if you BEGIN)."""
        conn = await self._idle.get()
        try:
            yield conn
        finally:
            if conn in self._all:  # not closed meanwhile
                self._idle.put_nowait(conn)

    async def execute_fetchall(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> Iterable[sqlite3.Row]:
        async with self.connection() as conn:
            return await conn.execute_fetchall(sql, parameters)

    @contextlib.asynccontextmanager
    async def _cursor(
        self, sql: str, parameters: Iterable[Any] | None
    ) -> AsyncIterator[aiosqlite.Cursor]:
        async with self.connection() as conn, conn.execute(sql, parameters) as cursor:
            yield cursor

    def execute(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> AbstractAsyncContextManager[aiosqlite.Cursor]:
        """`async with pool.execute(sql) as cursor:` keeps one connection until the block ends."""
        return self._cursor(sql, parameters)

    async def set_trace_callback(self, handler: Callable[[str], object] | None) -> None:
        """Every statement any connection of the pool runs goes to `handler` (None: stop)."""
        for conn in self._all:
            await conn.set_trace_callback(cast(Callable[..., Any], handler))
