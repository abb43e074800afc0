"""Who did it, on pages and in CSVs: one place that records the actor of a page action and turns
any recorded actor into what people read.

Recorded forms (node.ledger.model.API_ACTOR's comment): "<role>:<login>" for staff and admins
signed in to a page; API_ACTOR ("api") for head office through the admin API. Older rows may hold
"admin-api" (voucher changes made through the API before API_ACTOR was shared) or an admin's bare
login (voucher changes made in the console before they were recorded as "admin:<login>"); both
still read right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from node.ledger.model import API_ACTOR
from node.reads import Reader
from node.web.counter_staff_tables import display_names
from node.web.model import Role, Session

API_ACTORS = frozenset({API_ACTOR, "admin-api"})
API_LABEL = "actor_api"  # text key: 本部 (API)


def recorded_actor(session: Session) -> str:
    """The actor recorded for what `session`'s account does on a page: "<role>:<login>"."""
    return f"{session.account.role}:{session.account.login}"


def _account_form(actor: str) -> str:
    """The "<role>:<login>" form of a recorded account actor (a bare login was an admin's)."""
    return actor if ":" in actor else f"{Role.ADMIN}:{actor}"


async def actor_labels(
    db: Reader, actors: Iterable[str], t: Callable[[str], str]
) -> dict[str, str]:
    """What people read for each of `actors`: 本部 (API) for the API, else the account's display
    name; an account since removed shows its login."""
    wanted = set(actors)
    accounts = {_account_form(a) for a in wanted - API_ACTORS}
    names = await display_names(db, accounts) if accounts else {}
    labels: dict[str, str] = {}
    for actor in wanted:
        if actor in API_ACTORS:
            labels[actor] = t(API_LABEL)
        else:
            form = _account_form(actor)
            labels[actor] = names.get(form, form.partition(":")[2])
    return labels
