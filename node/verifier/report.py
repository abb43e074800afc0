"""What `kippu audit verify` found: problems with their positions, balances, and the pairs' checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS_PER_BUNDLE = 200


@dataclass(frozen=True)
class Problem:
    """One finding that makes the verification fail. `index` is the entry's position in the
    bundle (0-based) and `checkpoint` the checkpoint record's, when the problem has one."""

    bundle: str
    reason: str
    index: int | None = None
    checkpoint: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "index": self.index,
            "checkpoint": self.checkpoint,
            "reason": self.reason,
        }


@dataclass
class Balance:
    name: str
    receivable: int = 0
    payable: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "receivable": self.receivable,
            "payable": self.payable,
            "net": self.receivable - self.payable,
        }


@dataclass
class BundleReport:
    origin: str
    name: str
    fingerprint: str
    pinned: bool = False
    entries: int = 0
    checkpoints: int = 0
    latest: dict[str, Any] | None = None
    balances: dict[str, Balance] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0  # problems beyond MAX_PROBLEMS_PER_BUNDLE, counted but not listed

    def problem(self, reason: str, index: int | None = None, checkpoint: int | None = None) -> None:
        if len(self.problems) >= MAX_PROBLEMS_PER_BUNDLE:
            self.dropped += 1
            return
        self.problems.append(Problem(self.origin, reason, index, checkpoint))

    def to_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "name": self.name,
            "fingerprint": self.fingerprint,
            "pinned": self.pinned,
            "entries": self.entries,
            "checkpoints": self.checkpoints,
            "latest_checkpoint": self.latest,
            "balances": {peer: b.to_json() for peer, b in sorted(self.balances.items())},
            "problems": [p.to_json() for p in self.problems],
            "more_problems": self.dropped,
        }


@dataclass
class PairReport:
    first: str
    second: str
    claims_matched: int = 0
    in_flight: int = 0
    cosigned: dict[str, bool] = field(default_factory=dict)
    balances_agree: bool = True
    problems: list[Problem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "bundles": [self.first, self.second],
            "claims_matched": self.claims_matched,
            "claims_in_flight": self.in_flight,
            "cosigned": self.cosigned,
            "balances_agree": self.balances_agree,
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class Report:
    bundles: list[BundleReport] = field(default_factory=list)
    pairs: list[PairReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        found = [p for b in self.bundles for p in b.problems]
        return found + [p for pair in self.pairs for p in pair.problems]

    @property
    def ok(self) -> bool:
        return not self.problems and not any(b.dropped for b in self.bundles)

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": sum(b.entries for b in self.bundles),
            "checkpoints": sum(b.checkpoints for b in self.bundles),
            "balances": {
                b.origin: {peer: bal.to_json() for peer, bal in sorted(b.balances.items())}
                for b in self.bundles
            },
            "problems": [p.to_json() for p in self.problems],
            "warnings": self.warnings,
            "bundles": [b.to_json() for b in self.bundles],
            "pairs": [p.to_json() for p in self.pairs],
        }
