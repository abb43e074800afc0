"""The values of the campaigns' gates: a lottery's set-up, entries, rounds and wins; a survey's
questions. Pure data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SeedMode(StrEnum):
    SECRET = "secret"  # noqa: S105 - a mode's name: the office's secret, committed at set-up (SHA-256), revealed at the draw
    BEACON = "beacon"  # a public beacon's value for a round after the close (e.g. drand)


class WinState(StrEnum):
    """A resident's standing in a lottery, as the wallet shows it."""

    NOT_APPLIED = "not_applied"
    APPLIED = "applied"  # entries open or not drawn yet
    WON = "won"  # may claim until the deadline
    CLAIMED = "claimed"
    EXPIRED = "expired"  # won, not claimed in time
    NOT_WON = "not_won"  # drawn, not among the winners (a later round may still pick them)


@dataclass(frozen=True)
class Lottery:
    campaign_id: str
    seed_mode: SeedMode
    commitment: bytes | None
    beacon_name: str
    beacon_round: int | None  # announced at set-up (beacon mode), or None
    entries_until: datetime
    claim_days: int
    entries_closed_at: datetime | None
    entry_count: int | None
    entries_hash: bytes | None
    set_up_at: datetime
    actor: str


@dataclass(frozen=True)
class DrawRound:
    campaign_id: str
    round_no: int
    entries_hash: bytes
    entry_count: int
    seed: bytes
    beacon_round: int | None
    asked: int
    claim_until: datetime
    drawn_at: datetime


@dataclass(frozen=True)
class Win:
    entry_id: str
    campaign_id: str
    customer_id: str
    round_no: int
    place: int
    claim_until: datetime
    grant_id: str | None


class QuestionKind(StrEnum):
    SINGLE = "single"  # one of the options
    MULTIPLE = "multiple"  # any of the options
    TEXT = "text"  # free text up to max_length


@dataclass(frozen=True)
class Question:
    question_no: int  # from 1
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...]
    is_required: bool
    max_length: int | None  # free text only


# An answer as stored: the option chosen, the options chosen, the text, or None (not answered).
Answer = str | list[str] | None
