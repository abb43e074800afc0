"""Whether the points books hold together: the problems found, none when they do.

The invariants, each a complaint of loyalty systems' users when it broke (a cached balance that
drifted from its lots, a balance below zero, points created by a retry):
- every entry is balanced (two postings or more, summing to zero), and so is the whole journal;
- what the journal says we owe each member (the credit balance of `points:<customer id>`) is
  the sum of that member's lot remainders, live or past expiry and not yet swept;
- no lot holds less than zero or more than it was given, and each lot's remainder is what it was
  given plus the moves recorded against it.
Used by the tests after every step and by `kippu points check`.
"""

from __future__ import annotations

from node.points import books_queries as queries
from node.points.model import MEMBER_PREFIX
from node.reads import Reader


async def problems(db: Reader) -> list[str]:
    """Every problem of the points books, in words an operator can act on; [] when none."""
    found = [f"entry {e} is unbalanced" for e in await queries.unbalanced_entries(db)]
    sums = await queries.account_sums(db)
    total = sum(sums.values())
    if total != 0:
        found.append(f"the points journal sums to {total}, not 0")
    owed = {
        account.removeprefix(MEMBER_PREFIX): -points
        for account, points in sums.items()
        if account.startswith(MEMBER_PREFIX)
    }
    held = await queries.lot_remainders(db)
    for customer_id in sorted(owed.keys() | held.keys()):
        in_journal, in_lots = owed.get(customer_id, 0), held.get(customer_id, 0)
        if in_journal != in_lots:
            found.append(
                f"member {customer_id}: the journal owes {in_journal} points,"
                f" the lots hold {in_lots}"
            )
    found += [
        f"lot {lot} is below zero or above its points"
        for lot in await queries.lots_out_of_bounds(db)
    ]
    found += [
        f"lot {lot} does not match its recorded moves"
        for lot in await queries.lots_unlike_their_moves(db)
    ]
    return found
