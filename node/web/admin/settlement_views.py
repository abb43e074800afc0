"""What the console's settlement pages show: claims and statements with local times, masked
voucher numbers, and every reconciliation break told from our side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from node.ledger.rows import maybe_datetime
from node.settlement import queries
from node.settlement.model import BreakKind, Claim, Role, StatementRow
from node.web.counter import masked

SECTION = "/admin/settlement"
# A break the partner found in our proposal is told from its side: seen from ours, what it
# misses we have, and what we miss it has.
MIRRORED = {
    BreakKind.MISSING_HERE: BreakKind.MISSING_THERE,
    BreakKind.MISSING_THERE: BreakKind.MISSING_HERE,
}


def partner_name(names: dict[str, str], peer: str) -> str:
    return names.get(peer, peer[:8])


@dataclass(frozen=True)
class ClaimView:
    claim: Claim
    partner: str
    voucher: str
    created: datetime
    decided: datetime | None
    we_issued: bool  # our voucher at the partner's store: we owe it (買掛)


def claim_view(claim: Claim, names: dict[str, str]) -> ClaimView:
    created = maybe_datetime(claim.created_at)
    if created is None:  # created_at is never empty; this only narrows the type
        raise ValueError("a claim without its creation time")
    return ClaimView(
        claim=claim,
        partner=partner_name(names, claim.peer),
        voucher=masked(claim.voucher_id),
        created=created,
        decided=maybe_datetime(claim.decided_at),
        we_issued=claim.role == Role.ISSUER,
    )


@dataclass(frozen=True)
class BreakView:
    """One difference between the two sides' records, from our side."""

    item: str
    kind: str
    ours: int
    theirs: int

    @property
    def is_claim(self) -> bool:
        return self.item.startswith("cl_")

    @property
    def in_yen(self) -> bool:
        return self.kind != BreakKind.SEQUENCE


def break_views(breaks: Sequence[dict[str, Any]], we_proposed: bool) -> list[BreakView]:
    """The statement's breaks; those of our own proposal were found by the partner: turned."""
    kinds = {str(k) for k in BreakKind}
    shown = []
    for entry in breaks:
        kind = str(entry.get("kind", ""))
        kind = kind if kind in kinds else str(BreakKind.TOTALS)
        ours, theirs = int(entry.get("ours", 0)), int(entry.get("theirs", 0))
        if we_proposed:
            kind = str(MIRRORED.get(BreakKind(kind), BreakKind(kind)))
            ours, theirs = theirs, ours
        shown.append(BreakView(str(entry.get("item", "")), kind, abs(ours), abs(theirs)))
    return shown


@dataclass(frozen=True)
class StatementView:
    """A statement as statement_json gives it, with its times as datetimes and its claims split
    into what the partner owes us and what we owe it."""

    body: dict[str, Any]
    cutoff: datetime | None
    created: datetime | None
    agreed: datetime | None
    paid: datetime | None
    cleared: datetime | None
    owed_to_us: list[dict[str, Any]]
    owed_by_us: list[dict[str, Any]]
    breaks: list[BreakView]

    @property
    def statement_id(self) -> str:
        return str(self.body["statement_id"])

    @property
    def can_pay(self) -> bool:
        return bool(self.body["we_are"] == "payer" and self.body["status"] == "agreed")

    @property
    def can_confirm(self) -> bool:
        return bool(self.body["we_are"] == "payee" and self.body["status"] == "paid")


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))


def statement_view(row: StatementRow, me: str, names: dict[str, str]) -> StatementView:
    body = queries.statement_json(row, me, names)
    return StatementView(
        body=body,
        cutoff=_time(body["cutoff"]),
        created=_time(body["created_at"]),
        agreed=_time(body["agreed_at"]),
        paid=_time(body["paid_at"]),
        cleared=_time(body["cleared_at"]),
        owed_to_us=[c for c in body["claims"] if c["issuer"] == body["peer"]],
        owed_by_us=[c for c in body["claims"] if c["issuer"] == me],
        breaks=break_views(body["breaks"], body["proposer"] == "us"),
    )
