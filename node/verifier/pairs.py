"""Two partners' bundles side by side: the same claims with the same amounts and signatures on both
sides, each one's checkpoints countersigned by the other, and the checkpoints each showed the
other present, unchanged, in its own bundle (a node cannot show its partner one history and its
auditor another)."""

from __future__ import annotations

import sqlite3

from node.verifier.report import PairReport, Problem
from node.verifier.verify import Verified

# A claim decided this long before the other bundle's last checkpoint must be in it (delivery of
# the decision can lag behind; a partner offline for longer shows up as claims in flight).
IN_FLIGHT_S = 3600


def compare(first: Verified, second: Verified, register: sqlite3.Connection) -> PairReport:
    a, b = first.report.origin, second.report.origin
    pair = PairReport(a, b)
    _claims(first, second, register, pair)
    for one, other in ((first, second), (second, first)):
        _cosigned(one, other, pair)
        _witnessed(one, other, pair)
    _balances(first, second, pair)
    return pair


def _claims(
    first: Verified, second: Verified, register: sqlite3.Connection, pair: PairReport
) -> None:
    a, b = first.report.origin, second.report.origin
    rows = register.execute(
        "SELECT x.claim_id, x.role, x.amount AS amount_a, y.amount AS amount_b,"
        " x.status AS status_a, y.status AS status_b, x.claim_hash = y.claim_hash AS same_claim,"
        " x.decision_hash = y.decision_hash AS same_decision,"
        " x.changed_at AS changed_a, y.changed_at AS changed_b"
        " FROM register_claims x JOIN register_claims y ON y.claim_id = x.claim_id"
        " AND y.origin = ? AND y.peer = ? AND y.role != x.role WHERE x.origin = ? AND x.peer = ?",
        (b, a, a, b),
    ).fetchall()
    for row in rows:
        claim_id, role, amount_a, amount_b = (
            row["claim_id"],
            row["role"],
            row["amount_a"],
            row["amount_b"],
        )
        status_a, status_b, same_claim, same_decision = (
            row["status_a"],
            row["status_b"],
            row["same_claim"],
            row["same_decision"],
        )
        changed_a, changed_b = row["changed_a"], row["changed_b"]
        if amount_a != amount_b or not same_claim or not same_decision:
            pair.problems.append(
                _problem(
                    a,
                    f"claim {claim_id}: {amount_a} yen as {role} here, {amount_b} yen at {b[:8]},"
                    " or the two logs hold different signed messages for it",
                )
            )
        elif _settled(status_a) != _settled(status_b):
            if max(changed_a, changed_b) + IN_FLIGHT_S >= min(first.horizon, second.horizon):
                pair.in_flight += 1  # e.g. a void whose decision has not reached the other side
            else:
                pair.problems.append(
                    _problem(a, f"claim {claim_id} is {status_a} here and {status_b} at {b[:8]}")
                )
        else:
            pair.claims_matched += 1
    for one, other in ((first, second), (second, first)):
        _missing(one, other, register, pair)


def _settled(status: str) -> str:
    """Statuses both sides must share once both logs hold the decision (payment moves separately)."""
    return {"INVOICED": "ACCEPTED", "CLEARED": "ACCEPTED"}.get(status, status)


def _missing(
    one: Verified, other: Verified, register: sqlite3.Connection, pair: PairReport
) -> None:
    x, y = one.report.origin, other.report.origin
    rows = register.execute(
        "SELECT x.claim_id, x.decided_at FROM register_claims x WHERE x.origin = ? AND x.peer = ?"
        " AND NOT EXISTS (SELECT 1 FROM register_claims y WHERE y.origin = ? AND y.peer = ?"
        " AND y.claim_id = x.claim_id AND y.role != x.role)",
        (x, y, y, x),
    ).fetchall()
    for row in rows:
        if row["decided_at"] + IN_FLIGHT_S < other.horizon:
            pair.problems.append(
                _problem(x, f"claim {row['claim_id']} is in this log but missing from {y[:8]}'s")
            )
        else:
            pair.in_flight += 1


def _cosigned(one: Verified, other: Verified, pair: PairReport) -> None:
    """`other` countersigned at least one of `one`'s checkpoints (each signature is checked by
    the bundle's own verification)."""
    origin = other.report.origin
    found = any(cosigner == origin for record in one.records for cosigner, _ in record.cosignatures)
    pair.cosigned[f"{one.report.origin} by {origin}"] = found
    if not found and one.checkpoints:
        pair.problems.append(
            _problem(
                one.report.origin, f"no checkpoint of this node is countersigned by {origin[:8]}"
            )
        )


def _witnessed(one: Verified, other: Verified, pair: PairReport) -> None:
    """Every checkpoint `one` countersigned for `other` is in `other`'s bundle with the same root."""
    roots = {c.size: c.root for c in other.checkpoints}
    exported = max(roots, default=0)
    for seen in one.witnessed:
        if seen.peer != other.report.origin or seen.size > exported:
            continue  # made after the other bundle was exported
        root = roots.get(seen.size)
        if root is None:
            pair.problems.append(
                _problem(
                    other.report.origin,
                    f"it showed {one.report.origin[:8]} a checkpoint of size {seen.size}"
                    f" (entry {seen.index} there) that its bundle does not contain",
                )
            )
        elif root != seen.root:
            pair.problems.append(
                _problem(
                    other.report.origin,
                    f"it showed {one.report.origin[:8]} another history: the root of size"
                    f" {seen.size} differs (entry {seen.index} there)",
                )
            )


def _balances(first: Verified, second: Verified, pair: PairReport) -> None:
    a, b = first.report.origin, second.report.origin
    mine, theirs = first.report.balances.get(b), second.report.balances.get(a)
    net_a = mine.receivable - mine.payable if mine else 0
    net_b = theirs.receivable - theirs.payable if theirs else 0
    pair.balances_agree = net_a == -net_b
    if not pair.balances_agree and pair.in_flight == 0 and not pair.problems:
        pair.problems.append(
            _problem(
                a,
                f"net balance with {b[:8]} is {net_a}, but {b[:8]} shows {-net_b} (if a payment"
                " confirmation is still on its way, export both again once they have talked)",
            )
        )


def _problem(bundle: str, reason: str) -> Problem:
    return Problem(bundle, reason)
