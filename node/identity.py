"""The node's Ed25519 identity: made once by `kippu init`, kept mode 0600, shown as a fingerprint."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from nacl.signing import SigningKey, VerifyKey

from node.errors import ConfigError


def encode_node_id(verify_key: bytes) -> str:
    """A node id is its public key in unpadded base32 (upper case: fits QR alphanumeric mode)."""
    return base64.b32encode(verify_key).decode("ascii").rstrip("=")


def decode_node_id(node_id: str) -> bytes:
    """Inverse of encode_node_id; only the canonical spelling is accepted, so one key has one id."""
    if len(node_id) != 52:
        raise ValueError("node id is not 52 characters")
    try:
        raw = base64.b32decode(node_id + "====")
    except ValueError as exc:
        raise ValueError("node id is not base32") from exc
    if len(raw) != 32 or encode_node_id(raw) != node_id:
        raise ValueError("node id is not a canonical 32-byte key")
    return raw


def fingerprint(verify_key: bytes) -> str:
    """Short human-comparable form: first 10 bytes of SHA-256 as five groups of four hex digits."""
    digest = hashlib.sha256(b"kippu/fingerprint/v1\0" + verify_key).hexdigest()[:20]
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class Identity:
    """The node's current signing key and its lasting id (the first key's public half).

    After `kippu key rotate` the signing key changes but the node id partners know stays.
    """

    signing_key: SigningKey
    first_key_id: str | None = None

    @property
    def verify_key(self) -> VerifyKey:
        return self.signing_key.verify_key

    @property
    def node_id(self) -> str:
        return self.first_key_id or encode_node_id(bytes(self.verify_key))

    @property
    def fingerprint(self) -> str:
        return fingerprint(decode_node_id(self.node_id))

    @property
    def key_fingerprint(self) -> str:
        """Fingerprint of the key signing right now (differs from `fingerprint` after rotation)."""
        return fingerprint(bytes(self.verify_key))


def create_identity(path: Path, seed: bytes | None = None) -> Identity:
    """Write a new key file readable only by its owner; refuse to overwrite an existing one."""
    identity = Identity(SigningKey(seed) if seed is not None else SigningKey.generate())
    write_key_file(path, identity)
    return identity


def write_key_file(path: Path, identity: Identity) -> None:
    """Seed in hex; after a rotation a second line names the node id the key belongs to."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(bytes(identity.signing_key).hex().encode("ascii") + b"\n")
        if identity.first_key_id is not None:
            handle.write(f"node_id={identity.first_key_id}\n".encode("ascii"))
        handle.flush()
        os.fsync(handle.fileno())


def load_identity(path: Path) -> Identity:
    """Read the key file, refusing one that others could read."""
    try:
        mode = path.stat().st_mode & 0o777
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigError([f"{path} does not exist; run `kippu init` first"]) from None
    if mode & 0o077:
        raise ConfigError([f"{path} is readable by others (mode {mode:o}); chmod 600 it"])
    lines = text.splitlines()
    first_key_id = None
    try:
        seed = bytes.fromhex(lines[0])
        if len(lines) > 1:
            label, _, first_key_id = lines[1].partition("=")
            if label != "node_id":
                raise ValueError(label)
            decode_node_id(first_key_id)
    except (ValueError, IndexError):
        raise ConfigError([f"{path} is not a Kippu key file"]) from None
    if len(seed) != 32 or len(lines) > 2:
        raise ConfigError([f"{path} is not a Kippu key file"])
    return Identity(SigningKey(seed), first_key_id)
