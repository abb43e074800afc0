"""Partner lists in TOML (the shape of peers.example.toml), validated with every problem reported."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from node.errors import ConfigError
from node.identity import decode_node_id, fingerprint

_KEYS = {"name", "node_id", "fingerprint", "url", "max_receivable_yen"}


@dataclass(frozen=True)
class PeerEntry:
    name: str
    node_id: str
    url: str
    max_receivable_yen: int | None


def _entry(index: int, raw: Any, problems: list[str]) -> PeerEntry | None:
    where = f"peer[{index}]"
    if not isinstance(raw, dict):
        problems.append(f"{where} must be a table")
        return None
    start = len(problems)
    problems.extend(f"{where}.{key}: unknown key" for key in sorted(set(raw) - _KEYS))
    name, node_id, url = raw.get("name"), raw.get("node_id"), raw.get("url")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}.name: required, a non-empty string")
    key = b""
    try:
        key = decode_node_id(node_id) if isinstance(node_id, str) else b""
    except ValueError as exc:
        problems.append(f"{where}.node_id: {exc}")
    if not isinstance(node_id, str):
        problems.append(f"{where}.node_id: required, the partner's public key")
    expected = raw.get("fingerprint")
    if key and expected is not None and expected != fingerprint(key):
        problems.append(
            f"{where}.fingerprint: does not match node_id (check both with the partner)"
        )
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        problems.append(f"{where}.url: required, starting with http:// or https://")
    limit = raw.get("max_receivable_yen")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        problems.append(f"{where}.max_receivable_yen: a whole number of yen, 0 or more")
    if len(problems) > start:
        return None
    return PeerEntry(str(name).strip(), str(node_id).upper(), str(url).rstrip("/"), limit)


def parse_peer_list(text: str, source: str = "peers.toml") -> list[PeerEntry]:
    """Parse and validate a partner list; raise ConfigError naming every bad key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{source}: {exc}"]) from exc
    problems = [f"{source}: unknown key {k!r}" for k in sorted(set(data) - {"peer"})]
    raw_peers = data.get("peer", [])
    if not isinstance(raw_peers, list):
        raise ConfigError([f"{source}: `peer` must be an array of tables ([[peer]])"])
    entries = [_entry(i, raw, problems) for i, raw in enumerate(raw_peers)]
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if entry is not None and entry.node_id in seen:
            problems.append(f"peer[{i}].node_id: listed twice")
        if entry is not None:
            seen.add(entry.node_id)
    if problems:
        raise ConfigError(problems)
    return [e for e in entries if e is not None]


def load_peer_list(path: Path) -> list[PeerEntry]:
    return parse_peer_list(path.read_text(encoding="utf-8"), str(path))
