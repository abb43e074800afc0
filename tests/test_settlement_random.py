"""A seeded random walk over three partnered nodes: redemptions, voids, statements, payments,
stops and restarts, time, and several of these at once. Whenever the nodes are quiet, the two
sides of every pair tell one story, and it matches the issuers' vouchers.

A failure names its seed and the last steps. The walk's choices are fixed by the seed; node keys
(hence ids, and which of two simultaneous proposals stands) and the event loop's interleaving of
simultaneous moves are not, so a replay follows the same path in all but those details.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import NodeFactory, RunningNode, ok
from tests.settlement_helpers import partner, payload, quiesce, restart, store_of, voucher_of

STEPS = 70
QUIESCE_CHANCE = 0.7
FACE_YEN = 5_000
VOUCHERS_EACH = 3
TOKYO = ZoneInfo("Asia/Tokyo")
TRIANGLE = (("A", "B"), ("B", "C"), ("A", "C"))
CHAIN = (("A", "B"), ("B", "C"))
OPEN = ("ACCEPTED", "INVOICED", "PAID", "DISPUTED")  # booked as receivable/payable
SPENT = (*OPEN, "CLEARED")  # took value off the issuer's voucher


@dataclass
class Walk:
    """The walk's state. `quiet`: everything sent was delivered, except to the stopped node, so
    a move's outcome can be predicted exactly; otherwise only its kind is checked."""

    seed: int
    rng: random.Random
    nodes: dict[str, RunningNode]
    pairs: tuple[tuple[str, str], ...]
    stores: dict[str, str] = field(default_factory=dict)
    faces: dict[str, dict[str, int]] = field(default_factory=dict)  # issuer -> voucher -> face
    limits: dict[tuple[str, str], int] = field(default_factory=dict)  # (redeemer, issuer)
    down: str | None = None
    quiet: bool = True
    stale_codes: list[tuple[str, str]] = field(default_factory=list)  # (voucher, payload)
    order: dict[str, int] = field(default_factory=dict)  # claim/statement id -> when we met it
    history: list[str] = field(default_factory=list)

    def where(self) -> str:
        return f"seed {self.seed}, after: {' | '.join(self.history[-8:])}"

    def note(self, text: str) -> None:
        self.history.append(f"{len(self.history)}:{text}")

    def meet(self, some_id: str) -> None:
        self.order.setdefault(some_id, len(self.order))

    def up(self) -> list[str]:
        return [name for name in self.nodes if name != self.down]

    def partners(self, name: str) -> list[str]:
        return sorted(
            {b for a, b in self.pairs if a == name} | {a for a, b in self.pairs if b == name}
        )

    def pick(self, ids: list[str]) -> str:
        """A random one of `ids`, in the order the walk met them (not by id: ids vary per run)."""
        for some_id in sorted(ids):
            self.meet(some_id)
        return self.rng.choice(sorted(ids, key=self.order.__getitem__))

    def name_of(self, node_id: str) -> str:
        return next(name for name, node in self.nodes.items() if node.node_id == node_id)

    def now(self) -> datetime:
        return self.nodes["A"].clock.now()


async def setup(nodes: NodeFactory, seed: int) -> Walk:
    rng = random.Random(seed)
    names = {"A": "Izakaya A", "B": "Trattoria B", "C": "Hotel C"}
    started = {key: await nodes.start(name) for key, name in names.items()}
    walk = Walk(seed, rng, started, TRIANGLE if seed % 2 else CHAIN)
    for first, second in walk.pairs:
        await partner(started[first], started[second])
    for name, node in started.items():
        walk.stores[name] = await store_of(node, f"{name} 本店")
        walk.faces[name] = {}
        for _ in range(VOUCHERS_EACH):
            walk.faces[name][await voucher_of(node, FACE_YEN)] = FACE_YEN
    for first, second in walk.pairs:
        for redeemer, issuer in ((first, second), (second, first)):
            if rng.random() < 0.4:
                limit = rng.choice([2_000, 6_000, 12_000])
                path = f"peers/{started[issuer].node_id}/limit"
                await ok(started[redeemer], "POST", path, {"max_receivable": limit})
                walk.limits[(redeemer, issuer)] = limit
    return walk


def _outcome(status: int, answer: dict[str, Any]) -> str:
    error = answer.get("error")
    return f"{status} {error['code'] if error else answer.get('status')}"


# -- the moves ---------------------------------------------------------------------------------


async def redeem(walk: Walk) -> None:
    """A store redeems a partner's voucher (now and then a stranger's, or more than is left)."""
    rng = walk.rng
    at = rng.choice(walk.up())
    others = [n for n in walk.nodes if n != at]
    issuer = rng.choice(others) if rng.random() < 0.1 else rng.choice(walk.partners(at))
    if issuer == walk.down:
        if not walk.stale_codes:
            return
        voucher_id, code = walk.stale_codes.pop(0)
        balance = None  # the issuer is down: we cannot ask
    else:
        voucher_id = rng.choice(sorted(walk.faces[issuer]))
        code = await payload(walk.nodes[issuer], voucher_id)
        balance = int((await ok(walk.nodes[issuer], "GET", f"vouchers/{voucher_id}"))["balance"])
    amount = _amount(rng, balance)
    owed = await _owed(walk, at, issuer)
    body = {"payload": code, "amount": amount, "store_id": walk.stores[at]}
    status, answer = await walk.nodes[at].call("POST", "redemptions", body)
    walk.note(f"redeem {issuer}'s ¥{amount} at {at}: {_outcome(status, answer)}")
    where = f"{walk.where()}: {answer}"
    if issuer not in walk.partners(at):
        assert (status, answer["error"]["code"]) == (409, "voucher.foreign_issuer"), where
        return
    if status == 409 and answer["error"]["code"] == "settlement.exposure_limit":
        assert not walk.quiet or _over_limit(walk, at, issuer, owed, amount), where
        return
    walk.meet(answer["error"]["claim_id"] if status == 409 else answer["claim_id"])
    if walk.quiet:
        assert not _over_limit(walk, at, issuer, owed, amount), where
        _predicted(status, answer, amount, balance, where)
    else:
        assert status in (201, 202, 409), where
        assert status != 409 or answer["error"]["code"] == "settlement.claim_rejected", where


def _amount(rng: random.Random, balance: int | None) -> int:
    if balance is None or rng.random() < 0.15:
        return rng.randint(1, 3_000)
    if rng.random() < 0.2:
        return balance + rng.randint(1, 500)  # more than is left
    return rng.randint(1, max(1, balance // 2))


async def _owed(walk: Walk, at: str, issuer: str) -> int:
    """What `issuer` owes `at`, pending claims included: what the exposure limit measures."""
    answer = await ok(walk.nodes[at], "GET", "settlement/balances")
    for entry in answer["balances"]:
        if entry["peer"] == walk.nodes[issuer].node_id:
            return int(entry["net"]) + int(entry["pending"])
    return 0


def _over_limit(walk: Walk, at: str, issuer: str, owed: int, amount: int) -> bool:
    limit = walk.limits.get((at, issuer))
    return limit is not None and owed + amount > limit


def _predicted(
    status: int, answer: dict[str, Any], amount: int, balance: int | None, where: str
) -> None:
    if balance is None:  # the issuer decides once it is back
        assert (status, answer["status"]) == (202, "pending"), where
    elif amount > balance:
        assert status == 409, where
        assert answer["error"]["reason"] == "ledger.insufficient_balance", where
    else:
        assert (status, answer["status"]) == (201, "accepted"), where
        assert (answer["amount"], answer["balance_after"]) == (amount, balance - amount), where


async def void(walk: Walk) -> None:
    """Staff void one of their store's accepted partner redemptions."""
    at = walk.rng.choice(walk.up())
    node = walk.nodes[at]
    listed = (await ok(node, "GET", "settlement/claims?role=redeemer&status=ACCEPTED"))["claims"]
    found = {c["claim_id"]: c for c in listed if not c["void_pending"]}
    if not found:
        return
    claim = found[walk.pick(list(found))]
    status, answer = await node.call("POST", f"redemptions/{claim['claim_id']}/void")
    walk.note(f"void {claim['claim_id'][-6:]} at {at}: {_outcome(status, answer)}")
    where = f"{walk.where()}: {claim} -> {answer}"
    code = answer["error"]["code"] if status == 409 else None
    if not walk.quiet:
        refusals = {
            "settlement.void_not_allowed",
            "redemption.void_window_closed",
            "redemption.already_voided",
        }
        assert status in (200, 202) or code in refusals, where
        return
    decided = datetime.fromisoformat(claim["decided_at"]).astimezone(TOKYO).date()
    if claim["statement_id"] is not None:  # in a statement we proposed
        assert code == "settlement.void_not_allowed", where
    elif decided != walk.now().astimezone(TOKYO).date():
        assert code == "redemption.void_window_closed", where
    elif walk.name_of(claim["issuer"]) == walk.down:
        assert (status, answer["status"]) == (202, "void_pending"), where
    else:
        assert (status, answer["status"], answer["voided"]) == (200, "VOIDED", True), where


async def propose(walk: Walk, pair: tuple[str, str] | None = None) -> None:
    """One side of a pair proposes a statement (up to now, or to a cut-off in the past)."""
    if pair is None:
        first, second = walk.rng.choice(walk.pairs)
        pair = (first, second) if walk.rng.random() < 0.5 else (second, first)
    proposer, peer = pair if pair[0] != walk.down else pair[::-1]
    body: dict[str, Any] = {"peer": walk.nodes[peer].node_id}
    if walk.rng.random() < 0.25:
        body["until"] = (walk.now() - timedelta(minutes=walk.rng.randint(1, 600))).isoformat()
    status, answer = await walk.nodes[proposer].call("POST", "settlement/statements", body)
    walk.note(f"propose {proposer}->{peer}: {_outcome(status, answer)}")
    where = f"{walk.where()}: {answer}"
    if status == 409:
        allowed = {"settlement.pending", "settlement.nothing_to_settle"}
        if peer == walk.down or not walk.quiet:  # our last proposal may be unanswered
            allowed.add("settlement.statement_open")
        assert answer["error"]["code"] in allowed, where
        return
    assert status == 201, where
    walk.meet(answer["statement_id"])
    if peer == walk.down:
        expected = {"proposed"}
    elif walk.quiet:
        expected = {"agreed", "cleared"}
    else:
        expected = {"proposed", "agreed", "cleared", "superseded"}
    assert answer["status"] in expected, where


async def propose_both(walk: Walk) -> None:
    """Both sides of a pair propose at the same moment: one proposal stands."""
    first, second = walk.rng.choice(walk.pairs)
    if walk.down in (first, second):
        return
    await together(
        walk, [lambda w: propose(w, (first, second)), lambda w: propose(w, (second, first))]
    )


async def _statement_at(walk: Walk, status: str, we_are: str) -> tuple[str, str] | None:
    """(node, statement id) of a random statement in `status` at a running node that is its
    payer or payee (`we_are`)."""
    found: dict[str, str] = {}
    for name in walk.up():
        listed = (await ok(walk.nodes[name], "GET", "settlement/statements"))["statements"]
        found |= {
            s["statement_id"]: name
            for s in listed
            if (s["status"], s["we_are"]) == (status, we_are)
        }
    if not found:
        return None
    statement_id = walk.pick(list(found))
    return found[statement_id], statement_id


async def pay(walk: Walk) -> None:
    """The payer of an agreed statement records its bank transfer."""
    chosen = await _statement_at(walk, "agreed", "payer")
    if chosen is None:
        return
    at, statement_id = chosen
    path = f"settlement/statements/{statement_id}/pay"
    body = {"reference": f"振込-{len(walk.history)}"}
    status, answer = await walk.nodes[at].call("POST", path, body)
    walk.note(f"pay {statement_id[-6:]} at {at}: {_outcome(status, answer)}")
    _settled(walk, status, answer, "paid")


async def confirm(walk: Walk) -> None:
    """The payee sees the money in the bank (usually after the payer said it paid)."""
    state = "agreed" if walk.rng.random() < 0.15 else "paid"
    chosen = await _statement_at(walk, state, "payee")
    if chosen is None:
        return
    at, statement_id = chosen
    path = f"settlement/statements/{statement_id}/confirm"
    status, answer = await walk.nodes[at].call("POST", path)
    walk.note(f"confirm {state} {statement_id[-6:]} at {at}: {_outcome(status, answer)}")
    _settled(walk, status, answer, "cleared")


def _settled(walk: Walk, status: int, answer: dict[str, Any], expected: str) -> None:
    where = f"{walk.where()}: {answer}"
    if not walk.quiet:  # the statement may have moved on meanwhile
        if status == 409:
            assert answer["error"]["code"] == "settlement.statement_state", where
            return
        if answer["status"] == "cleared":  # the payee confirmed as we paid
            expected = "cleared"
    assert (status, answer["status"]) == (200, expected), where


async def stop_or_restart(walk: Walk) -> None:
    """Stop a node (messages to it queue up), or bring the stopped one back (not yet synced:
    its partners retry on their own schedule, or at the next quiet point)."""
    if walk.down is not None:
        await restart(walk.nodes[walk.down])
        walk.note(f"restart {walk.down}")
        walk.down = None
        walk.quiet = False
        return
    name = walk.rng.choice(sorted(walk.nodes))
    node = walk.nodes[name]
    # Codes that customers of its vouchers show its partners' staff while it is down.
    walk.stale_codes = [(v, await payload(node, v)) for v in sorted(walk.faces[name])]
    walk.rng.shuffle(walk.stale_codes)
    await node.stop()
    walk.down = name
    walk.note(f"stop {name}")


async def advance(walk: Walk) -> None:
    roll = walk.rng.random()
    if roll < 0.7:
        seconds = walk.rng.randint(1, 120)
    elif roll < 0.9:
        seconds = walk.rng.randint(600, 3 * 3600)
    else:
        seconds = walk.rng.randint(6 * 3600, 14 * 3600)  # often into the next business day
    walk.nodes["A"].clock.advance(seconds=seconds)
    walk.note(f"+{seconds}s")


async def issue(walk: Walk) -> None:
    name = walk.rng.choice(walk.up())
    face = walk.rng.choice([1_000, 3_000, 10_000])
    walk.faces[name][await voucher_of(walk.nodes[name], face)] = face
    walk.note(f"issue ¥{face} at {name}")


Move = Callable[[Walk], Awaitable[None]]


async def together(walk: Walk, moves: Sequence[Move]) -> None:
    """Run moves at once. Each draws from its own generator, seeded in turn from the walk's, so
    the choices do not depend on how the event loop interleaves them."""
    walk.note(f"together: {len(moves)}")
    copies = [
        dataclasses.replace(walk, rng=random.Random(walk.rng.getrandbits(64)), quiet=False)
        for _ in moves
    ]
    await asyncio.gather(*(move(copy) for move, copy in zip(moves, copies, strict=True)))
    walk.quiet = False


async def at_once(walk: Walk) -> None:
    chosen = walk.rng.choices(
        [redeem, void, propose, pay, confirm], [5, 2, 2, 1, 1], k=walk.rng.randint(2, 4)
    )
    await together(walk, chosen)


MOVES: tuple[tuple[Move, int], ...] = (
    (redeem, 34),
    (void, 10),
    (propose, 12),
    (propose_both, 3),
    (pay, 9),
    (confirm, 9),
    (at_once, 8),
    (stop_or_restart, 6),
    (advance, 12),
    (issue, 3),
)


# -- the invariants ----------------------------------------------------------------------------


async def settle_down(walk: Walk) -> None:
    """Deliver everything that can be; when no node is down, check every invariant."""
    down = walk.nodes[walk.down] if walk.down is not None else None
    await quiesce(list(walk.nodes.values()), walk.where(), down=down)
    walk.quiet = True
    if down is None:
        await check_books(walk)
        return
    for name in walk.up():
        check = await ok(walk.nodes[name], "GET", "ledger/check")
        assert check["ok"] is True, f"{walk.where()}: ledger of {name}: {check}"


async def check_books(walk: Walk) -> None:
    balances = {name: await _balances(node) for name, node in walk.nodes.items()}
    claims = {name: await _all(node, "claims") for name, node in walk.nodes.items()}
    statements = {name: await _all(node, "statements") for name, node in walk.nodes.items()}
    total = 0
    for name, node in walk.nodes.items():
        check = await ok(node, "GET", "ledger/check")
        assert check["ok"] is True, f"{walk.where()}: ledger of {name}: {check}"
        total += sum(e["receivable"] - e["payable"] for e in balances[name].values())
        for entry in balances[name].values():
            assert entry["pending"] == 0, f"{walk.where()}: {name} {entry}"
    assert total == 0, f"{walk.where()}: receivables and payables do not cancel out: {balances}"
    for first, second in walk.pairs:
        _check_pair(walk, (first, second), balances, claims)
        _check_statements(walk, (first, second), statements)
    seen = Counter(claim_id for by_id in claims.values() for claim_id in by_id)
    assert set(seen) <= set(walk.order), f"{walk.where()}: claims no move made"
    assert set(seen.values()) <= {2}, f"{walk.where()}: a claim not on exactly two nodes"
    await _check_vouchers(walk, claims)


async def _balances(node: RunningNode) -> dict[str, dict[str, Any]]:
    answer = await ok(node, "GET", "settlement/balances")
    return {e["peer"]: e for e in answer["balances"]}


async def _all(node: RunningNode, kind: str) -> dict[str, dict[str, Any]]:
    rows = (await ok(node, "GET", f"settlement/{kind}"))[kind]
    by_id = {row[f"{kind[:-1]}_id"]: row for row in rows}
    assert len(by_id) == len(rows), f"settlement/{kind} lists an id twice"
    return by_id


Books = dict[str, dict[str, dict[str, Any]]]  # node name -> id -> row


def _between(walk: Walk, rows: Books, first: str, second: str) -> dict[str, dict[str, Any]]:
    peer = walk.nodes[second].node_id
    return {k: row for k, row in rows[first].items() if row["peer"] == peer}


def _check_pair(walk: Walk, pair: tuple[str, str], balances: Books, claims: Books) -> None:
    """Receivable here is payable there; every claim is the same on both sides and is what
    the journal books."""
    first, second = pair
    where = f"{walk.where()}: {first}-{second}"
    at_x = balances[first][walk.nodes[second].node_id]
    at_y = balances[second][walk.nodes[first].node_id]
    assert at_x["receivable"] == at_y["payable"], f"{where}: {at_x} vs {at_y}"
    assert at_x["payable"] == at_y["receivable"], f"{where}: {at_x} vs {at_y}"
    mine, theirs = _between(walk, claims, first, second), _between(walk, claims, second, first)
    assert set(mine) == set(theirs), f"{where}: claims on one side only {set(mine) ^ set(theirs)}"
    same = ("status", "amount", "voucher_id", "issuer", "redeemer", "statement_id")
    for claim_id, claim in mine.items():
        ours, other = {k: claim[k] for k in same}, {k: theirs[claim_id][k] for k in same}
        assert ours == other, f"{where}: claim {claim_id}: {first} {ours}, {second} {other}"
    for side, entry, books in ((first, at_x, mine), (second, at_y, theirs)):
        me = walk.nodes[side].node_id
        booked = [c for c in books.values() if c["status"] in OPEN]
        owed_to = sum(c["amount"] for c in booked if c["redeemer"] == me)
        owed_by = sum(c["amount"] for c in booked if c["issuer"] == me)
        assert (entry["receivable"], entry["payable"]) == (owed_to, owed_by), f"{where}: {side}"


def _check_statements(walk: Walk, pair: tuple[str, str], statements: Books) -> None:
    """Both sides hold the same statements in the same state; none is left open or disputed."""
    first, second = pair
    where = f"{walk.where()}: {first}-{second}"
    mine = _between(walk, statements, first, second)
    theirs = _between(walk, statements, second, first)
    assert set(mine) == set(theirs), f"{where}: statements on one side only"
    fields = ("status", "statement_hash", "payer", "amount")
    for statement_id, statement in mine.items():
        ours, other = (
            {k: statement[k] for k in fields},
            {k: theirs[statement_id][k] for k in fields},
        )
        assert ours == other, f"{where}: statement {statement_id}: {first} {ours}, {second} {other}"
        # Two honest nodes never dispute: whatever one counts, the other counts too.
        assert statement["status"] not in ("proposed", "disputed"), f"{where}: {statement}"


async def _check_vouchers(walk: Walk, claims: Books) -> None:
    """Each voucher's balance is its face less every claim on it that was not rejected or voided."""
    for name, faces in walk.faces.items():
        spent = Counter[str]()
        for claim in claims[name].values():
            if claim["role"] == "issuer" and claim["status"] in SPENT:
                spent[claim["voucher_id"]] += claim["amount"]
        for voucher_id, face in faces.items():
            found = await ok(walk.nodes[name], "GET", f"vouchers/{voucher_id}")
            assert found["balance"] == face - spent[voucher_id], (
                f"{walk.where()}: voucher {voucher_id} of {name}"
            )


# -- the walk ----------------------------------------------------------------------------------


async def run_walk(nodes: NodeFactory, seed: int) -> Walk:
    walk = await setup(nodes, seed)
    moves, weights = zip(*MOVES, strict=True)
    for _ in range(STEPS):
        [move] = walk.rng.choices(moves, weights)
        await move(walk)
        if walk.rng.random() < QUIESCE_CHANCE:
            await settle_down(walk)
        else:
            walk.quiet = walk.quiet and move in (advance, issue)
    if walk.down is not None:
        await stop_or_restart(walk)
    await settle_down(walk)
    return walk


async def close_books(walk: Walk) -> None:
    """Month end: each pair settles everything open (propose, pay, confirm) until nothing is
    left; then nobody owes anybody, and every claim has reached an end."""
    walk.nodes["A"].clock.advance(seconds=1)
    for first, second in walk.pairs:
        x, y = walk.nodes[first], walk.nodes[second]
        for _ in range(4):
            await _pay_and_confirm(walk, x, y)
            status, answer = await x.call("POST", "settlement/statements", {"peer": y.node_id})
            walk.note(f"close {first}->{second}: {_outcome(status, answer)}")
            if status == 409 and answer["error"]["code"] == "settlement.nothing_to_settle":
                break
            assert status == 201 and answer["status"] in ("agreed", "cleared"), walk.where()
            await settle_down(walk)
        else:
            raise AssertionError(
                f"{walk.where()}: {first}-{second} never ran out of things to settle"
            )
    for name, node in walk.nodes.items():
        for entry in (await ok(node, "GET", "settlement/balances"))["balances"]:
            assert (entry["receivable"], entry["payable"]) == (0, 0), (
                f"{walk.where()}: {name} {entry}"
            )
        for claim in (await ok(node, "GET", "settlement/claims"))["claims"]:
            assert claim["status"] in ("REJECTED", "VOIDED", "CLEARED"), f"{walk.where()}: {claim}"


async def _pay_and_confirm(walk: Walk, x: RunningNode, y: RunningNode) -> None:
    for payer, payee in ((x, y), (y, x)):
        listed = (await ok(payer, "GET", f"settlement/statements?peer={payee.node_id}"))[
            "statements"
        ]
        for statement in listed:
            if (statement["status"], statement["we_are"]) == ("agreed", "payer"):
                path = f"settlement/statements/{statement['statement_id']}/pay"
                await ok(payer, "POST", path, {"reference": "月末"})
        await settle_down(walk)
        listed = (await ok(payee, "GET", f"settlement/statements?peer={payer.node_id}"))[
            "statements"
        ]
        for statement in listed:
            if (statement["status"], statement["we_are"]) == ("paid", "payee"):
                await ok(
                    payee, "POST", f"settlement/statements/{statement['statement_id']}/confirm"
                )
        await settle_down(walk)


# Three seeds over real nodes (both topologies); the same invariants over many more
# interleavings run at the core tier: tests/test_settlement_protocol_machine.py.
@pytest.mark.parametrize("seed", range(1, 4), ids="seed{}".format)
async def test_random_walk_keeps_both_sides_of_every_pair_in_step(
    nodes: NodeFactory, seed: int
) -> None:
    walk = await run_walk(nodes, seed)
    await close_books(walk)
    ended = [
        claim["status"]
        for node in walk.nodes.values()
        for claim in (await ok(node, "GET", "settlement/claims"))["claims"]
    ]
    assert {"CLEARED", "VOIDED"} & set(ended), f"seed {seed}: nothing was ever accepted"


# -- what the walk found, pinned down --------------------------------------------------------
