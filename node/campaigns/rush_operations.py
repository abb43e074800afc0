"""The rush's writer unit: many first-come grants of one campaign decided in one unit, in order.

Each grant is decided by the rules `operations.grant_in` applies to one, in order, on the state
the unit read once and keeps up to date as it grants; a refused grant (the person's limit, a
check not passed, the stock gone) changes nothing and the others in the unit stand. The grants
made are then written together in a few multi-row statements (the ledger's bulk issue): a
grant's statements are most of its time, and a unit of 32 grants took about 15 statements
instead of about 450 when measured (units are of 24 now). If the database refuses that
writing, it is rolled back and the unit makes its grants one by one by `operations.grant_in`
itself, each under its own SAVEPOINT
(node/admission/batching.py `decide_each`), so only the faulty request is refused. Both ways
give the same answers and rows (tests/test_campaigns_rush_together.py).

Only plain grants are decided together: a campaign whose sets are sold by card (premium: its
holds count against the stock), or a unit with an idempotency key, a hold to make good or a
price paid by card in it, is decided one by one by `grant_in`, which knows those rules. The
writer still runs one unit at a time, so two grants can never both take the last of the stock;
the schema's CHECKs refuse an oversell besides.

The unit also says whether the campaign has nothing left once it is done, so that the waiting
room can answer everyone still waiting "sold out" without asking the writer again.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from node import db
from node.admission.batching import Budget, Deferred, decide_each
from node.campaigns import core, operations, rush_tables, tables
from node.campaigns.model import Campaign, CampaignKind, Grant, StoreClass
from node.errors import CampaignSoldOut, CustomerNotFound, KippuError
from node.ledger import bulk_issue, bulk_tables
from node.ledger.model import Outcome as LedgerOutcome
from node.ledger.operations import LedgerSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Granted:
    """One grant made, durable once the unit's batch committed. `is_sold_out_after`: the
    campaign had nothing left at the end of the unit that made it."""

    grant: Grant
    is_sold_out_after: bool


Outcome = Granted | Exception


def grant_batch(
    campaign_id: str,
    requests: Sequence[operations.GrantRequest],
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
    budget: Budget | None = None,
) -> Callable[[sqlite3.Connection], list[Outcome]]:
    """One writer unit deciding `requests` (all for `campaign_id`) in order: one outcome each,
    the grant, its refusal, or `Deferred` for those left once `budget` was spent.

    Plain grants are decided together (`_grant_together`: every rule in Python on state read
    in a few queries, then every grant made written in a few multi-row statements); if writing
    them together fails for any reason that is not the disk's, that is rolled back and the unit
    decides them one by one instead (`_grant_one_by_one`, each under its own SAVEPOINT), so
    whatever the database refuses is refused for the one request that caused it, as before."""

    def work(conn: sqlite3.Connection) -> list[Outcome]:
        # Read once per unit, then kept as this transaction has it.
        campaign = tables.load_campaign(conn, campaign_id)
        if campaign is not None and is_plain(campaign, requests):
            conn.execute("SAVEPOINT grants_together")
            try:
                together = _grant_together(
                    conn, campaign, requests, settings, now, fresh_number, budget
                )
            except Exception as exc:
                if db.storage_error(exc) is not None:
                    raise
                conn.execute("ROLLBACK TO grants_together")
                conn.execute("RELEASE grants_together")
                log.warning("grants of %s written one by one: %r", campaign_id, exc)
            else:
                conn.execute("RELEASE grants_together")
                return together
        return _grant_one_by_one(conn, campaign, requests, settings, now, fresh_number, budget)

    return work


def is_plain(campaign: Campaign, requests: Sequence[operations.GrantRequest]) -> bool:
    """Whether the unit may be decided together: no sets held for card payments can count
    against the stock, and no request replays a key, makes good a hold or is paid by card."""
    return campaign.kind != CampaignKind.PREMIUM and all(
        r.key is None and r.hold_id is None and r.paid_into is None for r in requests
    )


@dataclass
class _Made:
    """What a unit decided to make, to be written together."""

    grants: list[tuple[Grant, Sequence[StoreClass]]] = field(default_factory=list)
    issues: list[LedgerOutcome] = field(default_factory=list)
    terms: list[tuple[str, str | None, bool, bool]] = field(default_factory=list)


def _grant_together(
    conn: sqlite3.Connection,
    campaign: Campaign,
    requests: Sequence[operations.GrantRequest],
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
    budget: Budget | None,
) -> list[Outcome]:
    """The rules of `operations.grant_in` for each request in order, on the state read once
    (the people's grants so far, who exists, the checks passed) and kept as each grant changes
    it; then the grants made written together. Raises if the writing fails (the caller rolls
    back and decides one by one)."""
    campaign_id, plans = campaign.campaign_id, core.coupon_plan(campaign)
    people = [request.customer_id for request in requests]
    known = bulk_tables.existing_customers(conn, sorted(set(people)))
    received = rush_tables.grants_of_people(conn, campaign_id, people)
    passed = {
        person: tables.passed_methods(conn, campaign_id, person) if campaign.eligibility else set()
        for person in set(people) & known
    }
    drawn = [d.voucher_id for request in requests for d in request.vouchers[: len(plans)]]
    numbers = bulk_issue.VoucherNumbers(conn, drawn, fresh_number)
    made, outcomes, started = _Made(), list[Grant | Exception](), time.perf_counter()
    for request in requests:
        if outcomes and budget is not None and budget.is_spent(time.perf_counter() - started):
            outcomes.append(Deferred())
            continue
        try:
            if request.customer_id not in known:
                raise CustomerNotFound()
            core.require_grantable(
                campaign,
                now,
                received[request.customer_id],
                passed[request.customer_id],
                gate_passed=request.gate_passed,
            )
            if len(request.vouchers) < len(plans):
                raise KippuError(
                    f"a grant of {len(plans)} coupons was drawn {len(request.vouchers)} ids"
                )
            ids = numbers.choose([d.voucher_id for d in request.vouchers[: len(plans)]])
            issues = [
                bulk_issue.prepare(
                    operations.issue_request(campaign, plan, replace(d, voucher_id=vid), request),
                    settings,
                    now,
                )
                for plan, d, vid in zip(plans, request.vouchers, ids, strict=False)
            ]
        except Exception as exc:  # this request's refusal: the others go on
            if db.storage_error(exc) is not None:
                raise  # not a refusal: the writer fails the whole batch
            outcomes.append(exc)
            continue
        numbers.keep(ids)
        grant = operations.made_grant(campaign, request, received[request.customer_id], now, ids)
        received[request.customer_id] += 1
        campaign = replace(
            campaign,
            granted_sets=campaign.granted_sets + 1,
            granted_yen=campaign.granted_yen + grant.face_yen,
        )
        made.grants.append((grant, [plan.store_class for plan in plans]))
        made.issues += issues
        made.terms += [
            (vid, operations.store_group(plan), True, True)
            for plan, vid in zip(plans, ids, strict=True)
        ]
        outcomes.append(grant)
    if made.grants:
        bulk_issue.save(conn, made.issues)
        bulk_tables.insert_voucher_terms(conn, made.terms)
        rush_tables.insert_grants(conn, made.grants)
        rush_tables.count_grants(conn, campaign_id, len(made.grants), campaign.grant_face_yen)
    return _answers(outcomes, campaign)


def _grant_one_by_one(
    conn: sqlite3.Connection,
    campaign: Campaign | None,
    requests: Sequence[operations.GrantRequest],
    settings: LedgerSettings,
    now: datetime,
    fresh_number: Callable[[], str],
    budget: Budget | None,
) -> list[Outcome]:
    """Each request by `operations.grant_in` under its own SAVEPOINT (decide_each)."""

    def one(c: sqlite3.Connection, request: operations.GrantRequest) -> Grant:
        nonlocal campaign
        made = operations.grant_in(c, request, settings, now, fresh_number, campaign)
        if campaign is not None and made.grant_id == request.grant_id:  # not a key's replay
            campaign = replace(
                campaign,
                granted_sets=campaign.granted_sets + 1,
                granted_yen=campaign.granted_yen + made.face_yen,
            )
        return made

    return _answers(decide_each(conn, requests, one, budget), campaign)


def _answers(decided: Sequence[Grant | Exception], campaign: Campaign | None) -> list[Outcome]:
    is_gone = campaign is not None and core.is_exhausted(campaign)
    return [
        Granted(outcome, is_gone) if isinstance(outcome, Grant) else outcome for outcome in decided
    ]


def shows_sold_out(outcome: Outcome) -> bool:
    """Does this outcome prove the campaign has nothing left to give?"""
    if isinstance(outcome, Granted):
        return outcome.is_sold_out_after
    return isinstance(outcome, CampaignSoldOut)
