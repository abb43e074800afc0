"""The lock a serving node holds on its database, so that `kippu restore` knows it is running.

An advisory flock on `kippu.db.lock` beside the database, taken when the node opens its database
and released when it closes it, or by the kernel when the process dies (kill -9 included): unlike
admin.token, it can neither be left behind nor be missing while the node runs.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from node.errors import NodeRunning


def lock_path(database_path: Path) -> Path:
    return database_path.with_name(database_path.name + ".lock")


@contextlib.contextmanager
def held(database_path: Path) -> Iterator[None]:
    """Hold the database's lock for the block; NodeRunning if a node (or a restore) holds it."""
    fd = os.open(lock_path(database_path), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise NodeRunning(
                f"A node is running on {database_path.parent} (it holds {lock_path(database_path)});"
                " stop `kippu serve` first."
            ) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
