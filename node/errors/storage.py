"""The database file and the disk under it: shown to the admin, who can act on them."""

from __future__ import annotations

from node.errors.base import KippuError


class StorageError(KippuError):
    """The node's database cannot be used right now; nothing was changed."""

    code = "storage.error"
    http_status = 503
    areas = ("storage",)
    is_actionable = True


class DiskFull(StorageError):
    """The disk holding the node's database is full; nothing was changed. Free space on it (or
    grow it), then try again; the node goes on by itself once there is room."""

    code = "storage.disk_full"


class DatabaseReadOnly(StorageError):
    """The node's database cannot be written (read-only file, directory or file system); nothing
    was changed. Make kippu.db, its -wal and -shm files and the home directory writable by the
    user running the node, then restart it."""

    code = "storage.read_only"


class StorageIOError(StorageError):
    """The disk reported an I/O error while writing the node's database; nothing was changed.
    Check the disk (kernel log, SMART), then restart the node; restore a backup if it will not
    start."""

    code = "storage.io_error"


class DatabaseBusy(StorageError):
    """Another program holds the node's database locked for writing (a sqlite3 shell on kippu.db,
    say); nothing was changed. Close that program; the node goes on by itself."""

    code = "storage.busy"


class DatabaseDamaged(StorageError):
    """The node's database is damaged or is not a Kippu database; the node will not serve it.
    Restore the latest backup with `kippu restore FILE` (see docs/operations.md, Backups)."""

    code = "storage.damaged"


class DatabaseOfAnotherNode(StorageError):
    """This database belongs to another node than the key in this home; the node will not serve
    it. Put that node's node.key back, or restore this node's own backup."""

    code = "storage.other_node"
    http_status = 409


class HomeNotWritable(StorageError):
    """The node's home directory cannot be written; the node needs it for its database and its
    admin token. Make it writable by the user running the node."""

    code = "storage.home_read_only"


class NodeRunning(StorageError):
    """The node is running on this home; stop `kippu serve` first (restore replaces its database)."""

    code = "storage.node_running"
    http_status = 409


class BackupInvalid(StorageError):
    """That file is not a sound Kippu database backup for this node; nothing was replaced."""

    code = "storage.backup_invalid"
    http_status = 422


class BackupFailed(StorageError):
    """The backup could not be written or did not pass its check, or --out names one of the
    node's own files (its database, their -wal/-shm, lock, node.key, config.toml); no backup file
    was left. Write the backup to a file outside the node's home."""

    code = "storage.backup_failed"
