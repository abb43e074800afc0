"""What the counter's confirm steps show before anything happens: who the presented code names,
the points a purchase would earn, and what a number of points is worth as a discount. Reads
only: the rule is core.points_for with the terms in force now, the same that operations.earn
applies inside the writer a moment later (a program change in between is the writer's to apply).

Identifying is checked as far as a read can: a card code's MAC and freshness (whether it was
already used is known only when the writer claims it), a voucher QR's MAC and freshness."""

from __future__ import annotations

from dataclasses import dataclass

from node.errors import CardCannotSpend, InvalidMemberCode, InvalidPayload, MemberNotFound
from node.ledger import qr
from node.ledger import queries as ledger_queries
from node.points import actions, card, counter_queries, queries
from node.points.card import Presented
from node.points.core import DEFAULT_PROGRAM, earn_terms, in_force, points_for
from node.points.model import Member, Program
from node.runtime import Node


@dataclass(frozen=True)
class Identified:
    member: Member
    presented: Presented | None  # None: a voucher's QR code named its holder
    balance: int
    rank: str | None


async def program_now(node: Node) -> Program:
    versions = await queries.programs(node.require_reader())
    return in_force(versions, node.clock.now()) or DEFAULT_PROGRAM


async def identify(node: Node, presented: str, to_spend: bool) -> Identified:
    """The member `presented` names (as actions.resolve would), with their balance now."""
    db = node.require_reader()
    now = node.clock.now()
    text = presented.strip()
    shown: Presented | None
    if text.upper().startswith(qr.PAYLOAD_PREFIX + ":"):
        if to_spend:
            raise CardCannotSpend()
        member = await _voucher_holder(node, text)
        shown = None
    else:
        ref = card.parse(text)
        if ref.presented is Presented.CARD_NUMBER:
            found = await counter_queries.member_by_card(db, ref.number)
        else:
            found = await queries.member_by_number(db, ref.number)
        if found is None:
            raise MemberNotFound(member_no=ref.number)
        if to_spend:
            if not ref.can_spend:
                raise CardCannotSpend()
            card.verify(ref, found.card_secret, now, node.settings.step_seconds)
        member, shown = found, ref.presented
    balance = await queries.balance(db, member.customer_id, now)
    rank = await queries.rank_name(db, member.customer_id)
    return Identified(member, shown, balance.points, rank)


async def _voucher_holder(node: Node, text: str) -> Member:
    try:
        code = qr.parse_code(text)
    except InvalidPayload:
        raise InvalidMemberCode() from None
    if code.issuer_id is not None and code.issuer_id != node.identity.node_id:
        raise InvalidMemberCode()
    voucher = await ledger_queries.get_voucher(node.require_reader(), code.voucher_id)
    if voucher is None or voucher.holder_id is None:
        raise MemberNotFound()
    qr.verify_code(code, voucher.secret, node.clock.now(), node.settings.step_seconds)
    # Every customer is a member: the holder's membership is made now if this is its first need.
    return await actions.member_of(node, voucher.holder_id)


async def earn_preview(node: Node, customer_id: str, purchase_yen: int, store_id: str) -> int:
    """The points `purchase_yen` at `store_id` would earn the customer now (a customer who is no
    member yet has no rank: they become one when they earn)."""
    db = node.require_reader()
    now = node.clock.now()
    terms = earn_terms(
        await program_now(node),
        in_force(await counter_queries.store_rates_of(db, store_id), now),
        await counter_queries.campaigns_at(db, now),
        await counter_queries.rank_pct(db, customer_id),
        store_id,
        now,
    )
    return points_for(purchase_yen, terms)


def discount_yen(program: Program, points: int) -> int:
    """What `points` are worth as a discount under `program`."""
    return points * program.point_value_yen
