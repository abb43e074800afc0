"""Texts that travel to partners and clients are one line: no source indentation from docstrings.

An error's message is its class docstring unless the raiser gives one; a docstring wrapped in the
source carries a line break and the indentation of the next line. Those texts go into signed
replies (`message`), claim and void results, the peer proof endpoint's refusals, and the JSON
errors of the admin API, so they are checked here for every error class and on a real answer.
"""

from __future__ import annotations

import inspect
import re

import node.errors
from node.errors import KippuError, NotInLog, known_codes
from node.identity import load_identity
from node.settlement.audit import proofs
from node.settlement.protocol import partner_reason
from tests.conftest import NodeFactory, ok
from tests.settlement_helpers import quiesce, redeem, store_of, two_partners, voucher_of

INDENTED = re.compile(r"\n[ \t]|\s{2,}|^\s|\s$")


def _error_classes() -> list[type[KippuError]]:
    return [
        cls
        for cls in vars(node.errors).values()
        if inspect.isclass(cls) and issubclass(cls, KippuError)
    ]


def test_no_error_message_carries_line_breaks_or_indentation() -> None:
    wrapped = [c for c in _error_classes() if "\n" in (c.__doc__ or "").strip()]
    assert wrapped, "no error docstring spans lines: this test would check nothing"
    bad = {}
    for cls in _error_classes():
        try:
            message = cls().message
        except TypeError:  # a class that needs arguments builds its own one-line message
            continue
        if INDENTED.search(message):
            bad[cls.__name__] = message
    assert not bad, bad


def test_a_partners_reason_code_is_shown_in_one_line() -> None:
    bad = {}
    for code in known_codes():
        shown_code, message = partner_reason(code)
        if INDENTED.search(message):
            bad[shown_code] = message
    assert not bad, bad


async def test_the_proof_endpoints_refusal_to_a_partner_is_one_line(nodes: NodeFactory) -> None:
    """A real partner asks for a topic our log does not hold: `audit.not_in_log`, whose
    docstring spans two source lines, answered over /peer/v1/audit/proof."""
    assert "\n" in (NotInLog.__doc__ or "").strip()
    a, b = await two_partners(nodes)
    assert (await redeem(b, a, await voucher_of(a, 1000), 100, await store_of(b, "B1")))[0] == 201
    await quiesce([a, b], "after the claim")
    made = await ok(a, "POST", "audit/checkpoint")
    size = made["latest_checkpoint"]["size"]
    asker = load_identity(b.home.key_path)
    request = proofs.make_request(
        asker, a.node_id, "cl_nothing_here", size, int(b.clock.now().timestamp())
    )
    async with b.session.post(
        a.base_url + proofs.PROOF_PATH,
        data=request,
        headers={"Content-Type": "application/x-msgpack"},
    ) as response:
        status, answer = response.status, await response.json()
    assert (status, answer["error"]["code"]) == (404, "audit.not_in_log"), answer
    assert not INDENTED.search(answer["error"]["message"]), answer
