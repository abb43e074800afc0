"""The 基準日 report for a running node: load the journal's figures, decide acceptance, compute."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from node.compliance import report_queries
from node.compliance.acceptance import load_acceptance
from node.compliance.model import Acceptance
from node.compliance.reference_date import (
    ReferenceDateReport,
    ReferencePeriod,
    VoucherFlow,
    VoucherTerms,
    build_report,
    latest_ended,
    next_reference_date,
    reference_period,
)
from node.peering import queries as peering_queries
from node.runtime import Node


async def current_acceptance(node: Node) -> Acceptance:
    """Who accepts our vouchers today (`acceptance.load_acceptance`: the active partners, and
    those declared 密接関係者). Today's, not the 基準日's: the partner registry keeps each
    partner's status and the time of its last change, not the history of its statuses
    (docs/operations.md, 基準日 report)."""
    return await load_acceptance(node.require_report_reader(), node.config.issuer)


def issuer_name(node: Node) -> str:
    """The issuer's legal name from [issuer], else the node's name."""
    return node.config.issuer.legal_name or node.config.node.name


async def build_off_loop(
    name: str,
    period: ReferencePeriod,
    terms: Iterable[VoucherTerms],
    flows: Iterable[VoucherFlow],
    acceptance: Acceptance,
    zone: ZoneInfo,
    now: datetime,
) -> ReferenceDateReport:
    """`build_report` in a worker thread: it goes over every voucher and every entry kind, which
    on a large journal would stall the console and the counters sharing the event loop."""
    return await asyncio.to_thread(build_report, name, period, terms, flows, acceptance, zone, now)


async def reference_date_report(node: Node, day: date) -> ReferenceDateReport:
    """The report for the 基準日 `day` (NotReferenceDate for any other day), as the journal has
    it now: final once the day has ended in the node's zone, the figures so far before. It
    carries when a partner last changed, so a report classed with today's acceptance says when
    that may differ from the 基準日's (`acceptance_changed_since`)."""
    period = reference_period(day, node.config.zone)
    reader = node.require_report_reader()
    terms = await report_queries.voucher_terms(reader, period)
    flows = await report_queries.voucher_flows(reader, period)
    report = await build_off_loop(
        issuer_name(node),
        period,
        terms,
        flows,
        await current_acceptance(node),
        node.config.zone,
        node.clock.now(),
    )
    changed = await peering_queries.last_partner_change(reader)
    return replace(report, partners_changed_at=changed)


def today(node: Node) -> date:
    return node.clock.now().astimezone(node.config.zone).date()


async def latest_and_next(node: Node) -> tuple[ReferenceDateReport, ReferenceDateReport]:
    """The last 基準日 that has ended, and the next one (its figures so far): the console's two."""
    day = today(node)
    return (
        await reference_date_report(node, latest_ended(day)),
        await reference_date_report(node, next_reference_date(day)),
    )
