"""Three parties in memory, driven at random by hypothesis: redemptions, voids, proposals from
either side (simultaneous ones too), payments, confirmations, deliveries in any interleaving of
the channels, lost replies answered again, repeated answers, and time passing. Whatever happens:
every journal entry balances and is booked once, no voucher gains or loses a yen that its claims
do not account for, and once the channels are drained the two sides of every pair tell one story
(each claim in the same state, each receivable the other's payable, each statement alike)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from node.errors import KippuError, NothingToSettle
from node.settlement.model import ClaimStatus, Role, StatementStatus
from tests.settlement_parties import START_S, Party, deliver, drain, federation

SPENT = (
    ClaimStatus.ACCEPTED,
    ClaimStatus.INVOICED,
    ClaimStatus.PAID,
    ClaimStatus.CLEARED,
    ClaimStatus.DISPUTED,
)  # took value off the issuer's voucher
OPEN = (ClaimStatus.ACCEPTED, ClaimStatus.INVOICED, ClaimStatus.PAID, ClaimStatus.DISPUTED)
names = st.sampled_from(["A", "B", "C"])


class Federation(RuleBasedStateMachine):
    vouchers = Bundle("vouchers")

    def __init__(self) -> None:
        super().__init__()
        self.parties = {p.name: p for p in federation("A", "B", "C")}
        self.now = START_S
        self.refusals: list[str] = []

    def pair(self, first: str, second: str) -> tuple[Party, Party]:
        return self.parties[first], self.parties[second]

    def attempt(self, action: object) -> None:
        """A staff or admin action the rules may refuse; a refusal changes nothing."""
        assert callable(action)
        try:
            action()
        except KippuError as exc:
            self.refusals.append(exc.code)

    @rule(target=vouchers, issuer=names, face=st.integers(500, 8000))
    def issue(self, issuer: str, face: int) -> tuple[str, str]:
        return issuer, self.parties[issuer].issue(face)

    @rule(voucher=vouchers, at=names, amount=st.integers(1, 3000))
    def redeem(self, voucher: tuple[str, str], at: str, amount: int) -> None:
        issuer_name, voucher_id = voucher
        if at == issuer_name:
            return
        issuer, redeemer = self.pair(issuer_name, at)
        code = issuer.show_code(voucher_id, self.now)
        self.attempt(lambda: redeemer.redeem(issuer, code, amount, self.now))

    @rule(voucher=vouchers, amount=st.integers(1, 3000))
    def one_code_at_two_partners(self, voucher: tuple[str, str], amount: int) -> None:
        """A code shown at two partners during an outage is spent once, whichever arrives first."""
        issuer = self.parties[voucher[0]]
        code = issuer.show_code(voucher[1], self.now)
        for at in self.parties.values():
            if at is not issuer:
                self.attempt(lambda at=at: at.redeem(issuer, code, amount, self.now))

    @rule(at=names, data=st.data())
    def void(self, at: str, data: st.DataObject) -> None:
        party = self.parties[at]
        mine = sorted(
            (peer, c.claim_id)
            for peer, book in party.books.items()
            for c in book.claims.values()
            if c.role == Role.REDEEMER
        )
        if mine:
            peer, claim_id = data.draw(st.sampled_from(mine))
            self.attempt(lambda: party.void(peer, claim_id, self.now))

    @rule(first=names, second=names, back=st.integers(1, 7200))
    def propose(self, first: str, second: str, back: int) -> None:
        if first != second:
            x, y = self.pair(first, second)
            self.attempt(lambda: x.propose(y.node_id, self.now - back, self.now))

    @rule(first=names, second=names, data=st.data())
    def pay_or_confirm(self, first: str, second: str, data: st.DataObject) -> None:
        if first == second:
            return
        x, y = self.pair(first, second)
        agreed = sorted(
            sid
            for sid, r in x.books[y.node_id].statements.items()
            if r.status in (StatementStatus.AGREED, StatementStatus.PAID)
        )
        if agreed:
            sid = data.draw(st.sampled_from(agreed))
            self.attempt(lambda: x.pay(y.node_id, sid, self.now))
            self.attempt(lambda: x.confirm(y.node_id, sid, self.now))

    @rule(first=names, second=names, lose_reply=st.booleans())
    def deliver_one(self, first: str, second: str, lose_reply: bool) -> None:
        x, y = self.pair(first, second)
        if first != second and x.outbox[y.node_id]:
            deliver(x, y, self.now, lose_reply=lose_reply)

    @rule(first=names, second=names)
    def repeat_an_answer(self, first: str, second: str) -> None:
        """The outbox applies a reply once; applying the same answer again changes nothing."""
        x, y = self.pair(first, second)
        if first == second or not x.outbox[y.node_id]:
            return
        head = x.outbox[y.node_id][0]
        if head.msg_id not in y.answered:
            return
        deliver(x, y, self.now)
        book, balances = x.books[y.node_id], dict(x.balances)
        step = x.apply(y.node_id, head.msg, y.answered[head.msg_id], self.now)
        assert (step.postings, step.outgoing) == ((), ())
        assert (x.books[y.node_id], dict(x.balances)) == (book, balances)

    @rule(seconds=st.sampled_from([1, 30, 301, 3600, 6 * 3600, 24 * 3600]))
    def advance(self, seconds: int) -> None:
        self.now += seconds

    @rule()
    def drain_everything(self) -> None:
        drain(list(self.parties.values()), self.now)
        self.in_step()

    @rule()
    def month_end(self) -> None:
        """Each pair settles everything open (propose, pay, confirm) until nothing is left: then
        nobody owes anybody and every claim has reached an end."""
        parties = list(self.parties.values())
        self.now += 1
        drain(parties, self.now)
        for x in parties:
            for y in parties:
                if x.name < y.name:
                    self.close(x, y)
        for party in parties:
            for peer, book in party.books.items():
                assert (party.receivable(peer), party.payable(peer)) == (0, 0)
                for claim in book.claims.values():
                    assert claim.status in ("REJECTED", "VOIDED", "CLEARED"), claim
        self.in_step()

    def close(self, x: Party, y: Party) -> None:
        for _ in range(4):
            for payer, payee in ((x, y), (y, x)):
                for sid, record in sorted(payer.books[payee.node_id].statements.items()):
                    if record.status == "agreed" and record.statement.net.payer == payer.node_id:
                        payer.pay(payee.node_id, sid, self.now)
                drain([x, y], self.now)
                for sid, record in sorted(payee.books[payer.node_id].statements.items()):
                    if (
                        record.status in ("agreed", "paid")
                        and record.statement.net.payer == payer.node_id
                    ):
                        payee.confirm(payer.node_id, sid, self.now)
                drain([x, y], self.now)
            self.now += 1
            try:
                x.propose(y.node_id, self.now - 1, self.now)
            except NothingToSettle:
                return
            drain([x, y], self.now)
        raise AssertionError(f"{x.name}-{y.name} never ran out of things to settle")

    # -- what always holds -----------------------------------------------------------------------

    @invariant()
    def no_yen_created_or_lost(self) -> None:
        for party in self.parties.values():
            assert sum(party.balances.values()) == 0  # each entry balanced, so the whole journal
            spent: dict[str, int] = {}
            for book in party.books.values():
                for claim in book.claims.values():
                    if claim.role == Role.ISSUER and claim.status in SPENT:
                        spent[claim.voucher_id] = spent.get(claim.voucher_id, 0) + claim.amount_yen
            for voucher_id, face in party.faces.items():
                balance = party.vouchers[voucher_id].balance_yen
                assert balance == face - spent.get(voucher_id, 0), (party.name, voucher_id)
                assert party.balances[f"voucher:{voucher_id}"] == spent.get(voucher_id, 0)

    @invariant()
    def a_receivable_never_runs_ahead_of_the_payable(self) -> None:
        """The issuer books first, the redeemer when the answer arrives; a void the other way."""
        for x in self.parties.values():
            for y in self.parties.values():
                if x is not y:
                    owed = sum(
                        c.amount_yen
                        for c in x.books[y.node_id].claims.values()
                        if c.role == Role.REDEEMER and c.status in OPEN
                    )
                    assert x.receivable(y.node_id) == owed

    def in_step(self) -> None:
        """Nothing queued: both sides of every pair tell one story."""
        for x in self.parties.values():
            for y in self.parties.values():
                if x is y:
                    continue
                assert x.receivable(y.node_id) == y.payable(x.node_id)
                mine = {
                    c.claim_id: c
                    for c in x.books[y.node_id].claims.values()
                    if c.role == Role.REDEEMER
                }
                theirs = {
                    c.claim_id: c
                    for c in y.books[x.node_id].claims.values()
                    if c.role == Role.ISSUER
                }
                assert mine.keys() == theirs.keys()
                for claim_id, claim in mine.items():
                    other = theirs[claim_id]
                    assert (claim.status, claim.amount_yen, claim.statement_id) == (
                        other.status,
                        other.amount_yen,
                        other.statement_id,
                    ), (claim, other)
                    assert claim.void_requested_at is None or claim.status == ClaimStatus.VOIDED
                for sid, record in x.books[y.node_id].statements.items():
                    if record.status in (
                        StatementStatus.AGREED,
                        StatementStatus.PAID,
                        StatementStatus.CLEARED,
                    ):
                        seen = y.books[x.node_id].statements[sid]
                        assert seen.statement_hash == record.statement_hash
                        assert seen.status == record.status, (record.status, seen.status)
        assert sum(p.balances["cash:hq"] for p in self.parties.values()) == 0


Federation.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_three_parties_stay_in_step = Federation.TestCase
