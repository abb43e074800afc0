"""The rush's writer unit: many first-come grants of one campaign decided in one unit, in order.

Each grant is decided and made exactly as `operations.grant` makes one (`operations.grant_in`),
under its own SAVEPOINT (node/admission/batching.py `decide_each`): a refused grant (the person's
limit, a check not passed, the stock gone) rolls back alone and the others in the unit stand.
The writer still runs one unit at a time, so two grants can never both take the last of the
stock; the schema's CHECKs refuse an oversell besides.

The unit also says whether the campaign has nothing left once it is done, so that the waiting
room can answer everyone still waiting "sold out" without asking the writer again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from node.admission.batching import Budget, decide_each
from node.campaigns import core, operations, tables
from node.campaigns.model import Grant
from node.errors import CampaignSoldOut
from node.ledger.operations import LedgerSettings


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
    the grant, its refusal, or `Deferred` for those left once `budget` was spent."""

    def work(conn: sqlite3.Connection) -> list[Outcome]:
        # Read once per unit, then kept as this transaction has it: a grant made adds itself
        # to the counts; a refused one was rolled back and changed nothing.
        campaign = tables.load_campaign(conn, campaign_id)

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

        decided = decide_each(conn, requests, one, budget)
        is_gone = campaign is not None and core.is_exhausted(campaign)
        return [
            Granted(outcome, is_gone) if isinstance(outcome, Grant) else outcome
            for outcome in decided
        ]

    return work


def shows_sold_out(outcome: Outcome) -> bool:
    """Does this outcome prove the campaign has nothing left to give?"""
    if isinstance(outcome, Granted):
        return outcome.is_sold_out_after
    return isinstance(outcome, CampaignSoldOut)
