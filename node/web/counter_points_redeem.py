"""Paying with a voucher earns points (issue 17: "paying with a voucher earns points on the amount
paid in one flow"). Decided: yes, on what the customer paid for the sale: the voucher's part
plus any rest paid another way (全額利用と差額), credited to the voucher's holder in the same
request as the redemption, right after it. The points' transaction id is `redeem:<redemption
id>`, so a retried redemption (the same redemption answered again) earns once.

The redemption stands whatever happens to the points: a refusal (e.g. the program's limits) is
shown on the result screen beside the ✓, never instead of it. A voucher with no holder here
(a partner's voucher, or a sale nobody took yet) earns nothing, and the counter is not told so
(no membership card was presented on the redemption form)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from node.errors import KippuError
from node.ledger.model import Redemption, Voucher
from node.ledger.operations import Redeemed
from node.points import actions, preview
from node.points.actions import Caller
from node.runtime import Node

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedemptionPoints:
    """What the result screen says of points: the earn's answer, or why none were earned."""

    answer: dict[str, Any] | None
    error: KippuError | None


def points_txn(redemption_id: str) -> str:
    return f"redeem:{redemption_id}"


async def earn_on_redemption(
    node: Node, redeemed: Redeemed, store_id: str, actor: str
) -> RedemptionPoints | None:
    """Points for the voucher's holder on the sale; None when the voucher has no holder."""
    holder = redeemed.voucher.holder_id
    if holder is None:
        return None
    paid = redeemed.redemption.amount_yen + (redeemed.rest.amount_yen if redeemed.rest else 0)
    try:
        member = await actions.member_of(node, holder)
        answer = await actions.earn(
            node,
            member.member_no,
            paid,
            points_txn(redeemed.redemption.redemption_id),
            Caller(actor),
            store_id,
        )
    except KippuError as exc:
        log.warning("points for redemption %s refused: %s", redeemed.redemption.redemption_id, exc)
        return RedemptionPoints(None, exc)
    return RedemptionPoints(answer, None)


async def points_to_earn(
    node: Node, voucher: Voucher | None, amount_yen: int, store_id: str, earlier: Redemption | None
) -> int | None:
    """What the confirm step says the holder will earn on the sale (the whole amount: with a
    short balance the voucher's part and the rest make it up); None when nobody will earn (no
    holder here, or a retry whose points were earned the first time)."""
    if voucher is None or voucher.holder_id is None or earlier is not None:
        return None
    return await preview.earn_preview(node, voucher.holder_id, amount_yen, store_id)
