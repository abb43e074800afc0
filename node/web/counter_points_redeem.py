"""Paying with a voucher earns points (issue 17: "paying with a voucher earns points on the amount
paid in one flow"). Decided: yes, on what the customer paid for the sale: the voucher's part
plus any rest paid another way (全額利用と差額), credited to the voucher's holder.

One writer unit does both: the redemption, then, in a savepoint of its own, the holder's points
(actions.earn_unit), so they are durable together and acknowledged together. The points'
transaction id is `redeem:<redemption id>`, so a retried redemption (answered with the
redemption it made) answers the points it earned, and earns nothing more. The redemption stands
whatever happens to the points: a refusal rolls back to the savepoint and is shown on the result
screen beside the ✓, never instead of it. A voucher with no holder here (a sale nobody took yet;
a partner's voucher never comes here, its claim is the settlement's) earns nothing, and the
counter is not told so: no membership card was presented on the redemption form.

Voiding the payment at the counter (counter_void.py) takes its points back in the void's own
writer unit (`with_points_returned`, return_operations.return_purchase in a savepoint): what the member
spent since is recorded as a shortfall for head office, never a negative balance.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from node.errors import KippuError
from node.ledger.model import Redemption, Voucher
from node.ledger.operations import Redeemed
from node.points import actions, operations, preview, return_operations, tables
from node.points.actions import Caller
from node.points.return_operations import Returned
from node.runtime import Node

log = logging.getLogger(__name__)
_SAVEPOINT = "redemption_points"
T = TypeVar("T")


@dataclass(frozen=True)
class RedemptionPoints:
    """What the result screen says of points: the earn's answer, or why none were earned."""

    answer: dict[str, Any] | None
    error: KippuError | None


def points_txn(redemption_id: str) -> str:
    return f"redeem:{redemption_id}"


def with_points(
    unit: Callable[[sqlite3.Connection], Redeemed], node: Node, store_id: str, actor: str
) -> Callable[[sqlite3.Connection], tuple[Redeemed, RedemptionPoints | None]]:
    """`unit` (a redemption), then the holder's points in the same transaction; None for the
    points when the voucher has no holder."""

    def work(conn: sqlite3.Connection) -> tuple[Redeemed, RedemptionPoints | None]:
        redeemed = unit(conn)
        holder = redeemed.voucher.holder_id
        if holder is None:
            return redeemed, None
        redemption = redeemed.redemption
        paid = redemption.amount_yen + (redeemed.rest.amount_yen if redeemed.rest else 0)
        conn.execute(f"SAVEPOINT {_SAVEPOINT}")
        try:
            member = operations.ensure_member(conn, holder, node.clock.now(), node.rng)
            earn = actions.earn_unit(
                node,
                member.member_no,
                paid,
                points_txn(redemption.redemption_id),
                Caller(actor),
                store_id,
            )
            answer = earn(conn)
        except KippuError as exc:
            conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            conn.execute(f"RELEASE {_SAVEPOINT}")
            log.warning("points for redemption %s refused: %s", redemption.redemption_id, exc)
            return redeemed, RedemptionPoints(None, exc)
        conn.execute(f"RELEASE {_SAVEPOINT}")
        return redeemed, RedemptionPoints(answer, None)

    return work


async def points_to_earn(
    node: Node, voucher: Voucher | None, amount_yen: int, store_id: str, earlier: Redemption | None
) -> int | None:
    """What the confirm step says the holder will earn on the sale (the whole amount: with a
    short balance the voucher's part and the rest make it up); None when nobody will earn (no
    holder here, or a retry whose points were earned the first time)."""
    if voucher is None or voucher.holder_id is None or earlier is not None:
        return None
    return await preview.earn_preview(node, voucher.holder_id, amount_yen, store_id)


@dataclass(frozen=True)
class PointsReturned:
    """What the void's screen says of the payment's points: taken back, or why not."""

    returned: Returned | None
    error: KippuError | None


def with_points_returned(
    unit: Callable[[sqlite3.Connection], T], node: Node, redemption_id: str, actor: str
) -> Callable[[sqlite3.Connection], tuple[T, PointsReturned | None]]:
    """`unit` (a void of the redemption), then the points that payment earned taken back in the
    same transaction; None for the points when it earned none (no holder, or given back)."""

    def work(conn: sqlite3.Connection) -> tuple[T, PointsReturned | None]:
        done = unit(conn)
        purchase = tables.load_purchase(conn, points_txn(redemption_id))
        if purchase is None or purchase.returned_at is not None:
            return done, None
        conn.execute(f"SAVEPOINT {_SAVEPOINT}")
        try:
            returned = return_operations.return_purchase(
                conn, purchase.txn_id, actor, node.clock.now(), node.rng
            )
        except KippuError as exc:
            conn.execute(f"ROLLBACK TO {_SAVEPOINT}")
            conn.execute(f"RELEASE {_SAVEPOINT}")
            log.warning("points of voided redemption %s not returned: %s", redemption_id, exc)
            return done, PointsReturned(None, exc)
        conn.execute(f"RELEASE {_SAVEPOINT}")
        return done, PointsReturned(returned, None)

    return work
