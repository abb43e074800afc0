"""The reconciliation report (照合結果) with one partner, read from what is stored: how many claims
both sides agree on, what is still open, waiting or disputed, and each break with its outcome.

Reading only: the reconcile action (node/settlement/actions.py) is what marks claims DISPUTED;
this report shows its result after the redirect and whenever the admin comes back to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from node.errors import ClaimNotFound, PeerNotFound
from node.reads import Reader
from node.settlement import queries
from node.settlement.model import Claim, ClaimStatus, StatementRow, StatementStatus
from node.settlement.reconcile import CLAIM_BREAKS
from node.web.admin.settlement_views import BreakView, break_views

SETTLED = (StatementStatus.AGREED, StatementStatus.PAID, StatementStatus.CLEARED)
MATCHED = (ClaimStatus.INVOICED, ClaimStatus.PAID, ClaimStatus.CLEARED)


@dataclass(frozen=True)
class Tally:
    count: int = 0
    amount_yen: int = 0

    def plus(self, count: int, amount_yen: int) -> Tally:
        return Tally(self.count + count, self.amount_yen + amount_yen)


@dataclass(frozen=True)
class BreakLine:
    """A break of a disputed statement and what became of it: `outcome` is a text key."""

    statement_id: str
    number: int
    found: BreakView
    outcome: str
    claim_status: str | None = None
    in_statement: str | None = None


@dataclass(frozen=True)
class Reconciliation:
    peer: str
    name: str
    matched: Tally
    agreed_statements: int
    open: Tally
    waiting: Tally
    disputed: Tally
    open_statement: str | None
    breaks: list[BreakLine]


async def _tallies(reader: Reader, peer: str) -> dict[str, Tally]:
    """Claims with the partner, both directions, by where they stand."""
    tallies = {"matched": Tally(), "open": Tally(), "waiting": Tally(), "disputed": Tally()}
    for group in await queries.claim_groups(reader, peer):
        status = group.status
        if status in MATCHED:
            bucket = "matched"
        elif status == ClaimStatus.CLAIMED or (
            status == ClaimStatus.ACCEPTED and group.is_void_asked
        ):
            bucket = "waiting"
        elif status == ClaimStatus.ACCEPTED:
            bucket = "open"
        elif status == ClaimStatus.DISPUTED:
            bucket = "disputed"
        else:
            continue  # rejected and voided claims are owed by no one
        tallies[bucket] = tallies[bucket].plus(group.claims, group.amount_yen)
    return tallies


async def _claim_here(reader: Reader, peer: str, claim_id: str) -> Claim | None:
    try:
        claim = await queries.own_claim(reader, claim_id)
    except ClaimNotFound:
        return None
    return claim if claim.peer == peer else None


def _outcome(found: BreakView, claim: Claim | None) -> str:
    """What became of one break, as reconcile judges it (node/settlement/reconcile.py)."""
    if found.kind not in CLAIM_BREAKS:
        return "se_res_compare"
    if claim is None:
        return "se_res_missing"
    if claim.status == ClaimStatus.CLAIMED or claim.void_requested_at is not None:
        return "se_res_waiting"
    if claim.status in MATCHED:
        return "se_res_resolved"
    if claim.status == ClaimStatus.DISPUTED:
        return "se_res_disputed"
    if claim.status == ClaimStatus.ACCEPTED:
        return "se_res_open"
    return "se_res_other"


def _since_last_agreed(rows: Sequence[StatementRow]) -> list[StatementRow]:
    """Disputed statements since the last agreed one (reconcile looks at the same), oldest first."""
    agreed_at = [r.agreed_at for r in rows if r.status in SETTLED and r.agreed_at is not None]
    since = max(agreed_at, default=0)
    return sorted(
        (r for r in rows if r.status == StatementStatus.DISPUTED and r.created_at >= since),
        key=lambda r: (r.created_at, r.statement_id),
    )


async def _break_lines(
    reader: Reader, me: str, peer: str, rows: Sequence[StatementRow]
) -> list[BreakLine]:
    lines = []
    for row in _since_last_agreed(rows):
        body = queries.statement_json(row, me, {})
        for found in break_views(body["breaks"], body["proposer"] == "us"):
            claim = await _claim_here(reader, peer, found.item) if found.is_claim else None
            lines.append(
                BreakLine(
                    statement_id=row.statement_id,
                    number=row.number,
                    found=found,
                    outcome=_outcome(found, claim),
                    claim_status=str(claim.status) if claim else None,
                    in_statement=claim.statement_id if claim else None,
                )
            )
    return lines


async def reconciliation(reader: Reader, me: str, peer_id: str) -> Reconciliation:
    peer = peer_id.strip().upper()
    names = await queries.peer_names(reader)
    if peer not in names:
        raise PeerNotFound()
    tallies = await _tallies(reader, peer)
    rows = await queries.list_statements(reader, peer)
    proposed = [r for r in rows if r.status == StatementStatus.PROPOSED]
    return Reconciliation(
        peer=peer,
        name=names[peer],
        matched=tallies["matched"],
        agreed_statements=sum(1 for r in rows if r.status in SETTLED),
        open=tallies["open"],
        waiting=tallies["waiting"],
        disputed=tallies["disputed"],
        open_statement=proposed[0].statement_id if proposed else None,
        breaks=await _break_lines(reader, me, peer, rows),
    )
