"""The draw of a lottery campaign (抽選式), and its check, pure: anyone holding the published draw
file recomputes the winners (`kippu campaign verify-draw FILE`, no node needed).

The construction is the point lotteries' (node/points/lottery_draw.py, whose stream and shuffle
this module calls): the entries, application ids in ascending order, are serialized canonically
and hashed (SHA-256) when the entries close; the seed is revealed only after that; the winners are
the first `count` entries of the Fisher-Yates shuffle driven by SHA-256 in counter mode over
SHA-256(entries hash || seed), numbers drawn by rejection so none is favoured.

Where the seed comes from (`seed_mode`):
- `secret`: the office's secret; its SHA-256 `commitment` was published when the lottery was set
  up, before any entry, so the office could not choose it knowing the entries.
- `beacon`: a public randomness beacon's value (e.g. a drand round's `randomness`, hex) for a
  round that came after the close; the file names the round so anyone can look the value up.

Round 2 on (再抽選: wins left unclaimed after the claim deadline) draws from the entries that have
not won in an earlier round, again in ascending order; the canonical bytes carry the round number,
so each round's hash, and its shuffle, are its own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from node.points.lottery_draw import commitment_of, shuffled

FORMAT = "kippu-campaign-lottery-draw/1"
SEED_MODES = ("secret", "beacon")
MIN_SEED_BYTES = 16
MAX_SEED_BYTES = 64


def canonical_entries(campaign_id: str, round_no: int, entries: Sequence[str]) -> bytes:
    """The bytes a round's entries hash is taken over: JSON, keys sorted, no spaces, ASCII."""
    document = {"campaign_id": campaign_id, "entries": list(entries), "round": round_no}
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def entries_hash(campaign_id: str, round_no: int, entries: Sequence[str]) -> bytes:
    return hashlib.sha256(canonical_entries(campaign_id, round_no, entries)).digest()


def is_committed(secret: bytes, commitment: bytes) -> bool:
    return commitment_of(secret) == commitment


def winners(entries: Sequence[str], hashed: bytes, seed: bytes, count: int) -> list[str]:
    """The first `count` entries of the draw's order (all of them when fewer)."""
    return shuffled(entries, hashed, seed)[:count]


def remaining(entries: Sequence[str], earlier_winners: Sequence[str]) -> list[str]:
    """A later round's entries: those that have not won, ascending."""
    won = set(earlier_winners)
    return sorted(e for e in entries if e not in won)


@dataclass(frozen=True)
class RoundFacts:
    """One published round: its hash, seed, beacon round (beacon mode), count asked, winners."""

    round_no: int
    entries_hash: bytes
    seed: bytes
    beacon_round: int | None
    count: int
    winners: tuple[str, ...]


def round_json(facts: RoundFacts) -> dict[str, Any]:
    return {
        "round": facts.round_no,
        "entries_hash": facts.entries_hash.hex(),
        "seed": facts.seed.hex(),
        "beacon_round": facts.beacon_round,
        "count": facts.count,
        "winners": list(facts.winners),
    }


class DrawFileInvalid(ValueError):
    """The file is not a campaign draw file this version reads."""


def _hex(value: object, where: str, low: int, high: int) -> bytes:
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if not low <= len(raw) <= high:
        raise DrawFileInvalid(f"`{where}` must be {low}-{high} bytes in hex")
    return raw


def _whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DrawFileInvalid(f"`{where}` must be a whole number")
    return value


def _round_facts(value: object, where: str) -> RoundFacts:
    if not isinstance(value, dict):
        raise DrawFileInvalid(f"`{where}` must be an object")
    stated = value.get("winners")
    if not isinstance(stated, list) or not all(isinstance(w, str) for w in stated):
        raise DrawFileInvalid(f"`{where}.winners` must be a list of entry ids")
    beacon = value.get("beacon_round")
    return RoundFacts(
        round_no=_whole(value.get("round"), f"{where}.round"),
        entries_hash=_hex(value.get("entries_hash"), f"{where}.entries_hash", 32, 32),
        seed=_hex(value.get("seed"), f"{where}.seed", MIN_SEED_BYTES, MAX_SEED_BYTES),
        beacon_round=None if beacon is None else _whole(beacon, f"{where}.beacon_round"),
        count=_whole(value.get("count"), f"{where}.count"),
        winners=tuple(stated),
    )


def _header(document: object) -> tuple[str, str, list[str], list[RoundFacts]]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DrawFileInvalid(f"not a campaign draw file: `format` must be {FORMAT!r}")
    campaign = document.get("campaign")
    campaign_id = campaign.get("campaign_id") if isinstance(campaign, dict) else None
    if not isinstance(campaign_id, str):
        raise DrawFileInvalid("`campaign.campaign_id` is missing")
    mode = document.get("seed_mode")
    if mode not in SEED_MODES:
        raise DrawFileInvalid("`seed_mode` must be secret or beacon")
    entries = document.get("entries")
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise DrawFileInvalid("`entries` must be a list of entry ids")
    rounds = document.get("rounds")
    if not isinstance(rounds, list):
        raise DrawFileInvalid("`rounds` must be a list")
    facts = [_round_facts(r, f"rounds[{i}]") for i, r in enumerate(rounds)]
    return campaign_id, str(mode), list(entries), facts


def differences(document: object) -> list[str]:
    """What in a draw file does not hold, each said in one line; [] when it all recomputes.
    DrawFileInvalid when it is not a campaign draw file at all."""
    campaign_id, mode, entries, rounds = _header(document)
    assert isinstance(document, dict)  # noqa: S101 - _header refused anything else
    found: list[str] = []
    if entries != sorted(set(entries)):
        found.append("entries: not in ascending order without repeats (the canonical order)")
    published = document.get("entries_hash")
    if published is not None and _hex(published, "entries_hash", 32, 32) != entries_hash(
        campaign_id, 1, entries
    ):
        found.append("entries_hash: the entries do not hash to the hash published at the close")
    commitment = None
    if mode == "secret":
        commitment = _hex(document.get("commitment"), "commitment", 32, 32)
    earlier: list[str] = []
    last_beacon = -1
    for number, facts in enumerate(rounds, start=1):
        found.extend(_round_differences(campaign_id, number, facts, entries, earlier, commitment))
        if mode == "beacon":
            if facts.beacon_round is None or facts.beacon_round <= last_beacon:
                found.append(f"round {number}: its beacon round is missing or not after the last")
            last_beacon = facts.beacon_round if facts.beacon_round is not None else last_beacon
        earlier.extend(facts.winners)
    return found


def _round_differences(
    campaign_id: str,
    number: int,
    facts: RoundFacts,
    entries: Sequence[str],
    earlier: Sequence[str],
    commitment: bytes | None,
) -> list[str]:
    found: list[str] = []
    if facts.round_no != number:
        found.append(f"round {number}: numbered {facts.round_no}")
    pool = remaining(entries, earlier)
    recomputed = entries_hash(campaign_id, number, pool)
    if recomputed != facts.entries_hash:
        found.append(
            f"round {number}: its entries hash to {recomputed.hex()}, not the published"
            f" {facts.entries_hash.hex()}"
        )
    if commitment is not None and not is_committed(facts.seed, commitment):
        found.append(f"round {number}: the seed is not the committed secret")
    expected = winners(pool, facts.entries_hash, facts.seed, facts.count)
    if list(facts.winners) != expected:
        place = next(
            (
                i + 1
                for i, (a, b) in enumerate(zip(facts.winners, expected, strict=False))
                if a != b
            ),
            min(len(facts.winners), len(expected)) + 1,
        )
        found.append(
            f"round {number}: the winners differ from the recomputed draw from place {place}"
            f" ({len(facts.winners)} stated, {len(expected)} recomputed)"
        )
    return found
