"""A node's home directory: where its config, key, database and admin token live."""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from node.config import ListenAddress, render_config
from node.errors import ConfigError, HomeNotWritable
from node.identity import Identity, create_identity


@dataclass(frozen=True)
class NodeHome:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / "config.toml"

    @property
    def key_path(self) -> Path:
        return self.root / "node.key"

    @property
    def database_path(self) -> Path:
        return self.root / "kippu.db"

    @property
    def token_path(self) -> Path:
        return self.root / "admin.token"

    def is_initialised(self) -> bool:
        return self.config_path.exists() or self.key_path.exists()


def init_home(
    home: NodeHome, name: str, listen: ListenAddress, *, registration_number: str = ""
) -> Identity:
    """Create config and key; refuse to touch a home that already holds a node."""
    if home.is_initialised():
        raise ConfigError([f"{home.root} already holds a node; choose another --home"])
    home.root.mkdir(parents=True, exist_ok=True, mode=0o700)
    identity = create_identity(home.key_path)
    text = render_config(name, listen, registration_number=registration_number)
    home.config_path.write_text(text, encoding="utf-8")
    return identity


def check_writable(home: NodeHome) -> None:
    """Refuse a home the node could not write its database and token to, before it listens."""
    probe = home.root / f".kippu-write-probe-{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        probe.unlink()
    except OSError as exc:
        raise HomeNotWritable(
            f"{home.root} cannot be written ({exc.strerror}); the node keeps its database and"
            " admin token there. Make it writable by the user running the node."
        ) from exc


def new_admin_token() -> str:
    return secrets.token_urlsafe(32)


def write_admin_token(home: NodeHome, token: str) -> None:
    """This run's admin token, in a file only the owner can read (replaced atomically)."""
    tmp = home.token_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    os.replace(tmp, home.token_path)


def read_admin_token(home: NodeHome) -> str:
    try:
        return home.token_path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigError(
            [f"{home.token_path} does not exist; is `kippu serve` running for this home?"]
        ) from None


def remove_admin_token(home: NodeHome) -> None:
    """A stopped node leaves no valid token behind."""
    with contextlib.suppress(FileNotFoundError):
        home.token_path.unlink()
