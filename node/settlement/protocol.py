"""The claim protocol between redeemer and issuer, pure: a book and a message in, a Step out.

B (the redeemer, whose store took A's voucher) opens a claim and sends `claim`; A (the issuer)
decides it against its voucher and answers; B books the answer. Voids follow with `claim_void`.
Nothing here reads the clock, a database or the network: the shell (claims.py, issuer.py) loads
the book, calls one function, and persists the Step in one transaction; tests drive two books
against each other. Statements, payment and confirmation are in statement_protocol.py.

Whether a refusal is a decision about the claim (recorded and answered `rejected`) or a fault
(nothing recorded, the message refused) is the table `CLAIM_REFUSALS` below, by error code; any
other error is not answered as a rejection.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace

from node.errors import (
    AlreadyVoided,
    ClaimNotFound,
    ClaimPending,
    CodeAlreadyUsed,
    CurrencyMismatch,
    ForeignVoucher,
    KippuError,
    MalformedEnvelope,
    PartnerNotActive,
    StoreNotFound,
    VoidNotAllowed,
    VoidWindowClosed,
    VoucherNotForThisStore,
    VoucherNotFound,
    default_message,
    known_codes,
)
from node.ledger.calendar import same_business_day
from node.ledger.core import require_amount
from node.ledger.model import Voucher
from node.ledger.qr import VoucherCode, parse_code, step_of, verify_code
from node.ledger.rows import from_epoch
from node.peering.model import PeerStatus
from node.settlement import core
from node.settlement.book import Book, ClaimWrite, Step, Terms, write_claims
from node.settlement.messages import ClaimMessage, ClaimResult, ClaimVoidMessage, ClaimVoidResult
from node.settlement.model import Claim, ClaimStatus, Decision, Role
from node.text import is_printable

MAX_ID_CHARS = 64
MAX_NAME_CHARS = 200
ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")

# The issuer's refusals that are decisions about a claim: recorded as REJECTED and answered
# `rejected` with the code. Every other error refuses the message instead (nothing recorded;
# the sender retries), so a fault of ours is never told to a partner as a verdict on its claim.
CLAIM_REFUSALS: frozenset[str] = frozenset(
    {
        "ledger.currency",
        "ledger.amount_over_limit",
        "request.invalid_amount",
        "voucher.invalid_payload",
        "voucher.foreign_issuer",
        "voucher.not_found",
        "voucher.code_invalid",
        "voucher.code_expired",
        "voucher.code_used",
        "voucher.expired",
        "voucher.not_for_this_store",
        "voucher.not_active",
        "voucher.suspended",  # suspended (a lost phone) at or before the scan
        "ledger.insufficient_balance",
    }
)
# The issuer's refusals of a void: answered `refused` with the code; the claim stands.
VOID_REFUSALS: frozenset[str] = frozenset(
    {
        "settlement.claim_not_found",
        "voucher.not_found",
        "settlement.void_not_allowed",
        "redemption.void_window_closed",
        "voucher.expired",
    }
)


def derived_txn_id(*parts: str) -> str:
    """A journal id fixed by the claim (handlers have no randomness; the claim is unique)."""
    return "tx_" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:26]


def printable(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """Text from a partner, safe to store and show: control characters dropped, length capped."""
    return "".join(c for c in text if is_printable(c))[:limit]


def require_claim_id(claim_id: str) -> None:
    """Letters, digits, - and _ only: claim ids reach our pages' links and file names."""
    if not (0 < len(claim_id) <= MAX_ID_CHARS and ID_CHARS.fullmatch(claim_id)):
        raise MalformedEnvelope("A claim id is 1-64 letters, digits, - or _.")


def partner_reason(code: str) -> tuple[str, str]:
    """A reason code a partner reported, shown with our own words (its text is not trusted)."""
    cls = known_codes().get(code)
    if cls is None:
        return "settlement.claim_rejected", "The issuer rejected the claim."
    return cls.code, default_message(cls)


def require_same_day(terms: Terms, claim: Claim, at_s: int) -> None:
    decided = claim.decided_at if claim.decided_at is not None else claim.created_at
    if terms.void_same_day_only and not same_business_day(
        from_epoch(decided), from_epoch(at_s), terms.zone
    ):
        raise VoidWindowClosed()


# -- at the redeemer (B) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Counterparty:
    """The issuer as the redeemer sees it when a store scans its voucher."""

    status: PeerStatus | None  # None: not a partner
    max_receivable_yen: int | None = None
    owed_yen: int = 0  # what it owes us net, pending claims included (read when a limit is set)


def open_claim(
    book: Book,
    terms: Terms,
    issuer: Counterparty,
    code: VoucherCode,
    payload: str,
    store: tuple[str, str] | None,
    amount_yen: int,
    claim_id: str,
    now_s: int,
) -> Step:
    """Our store took the partner's voucher: record the claim and send it to the issuer.
    `store` is (store_id, name), None when no such store."""
    if issuer.status is None or issuer.status == PeerStatus.REMOVED:
        raise ForeignVoucher(issuer=book.peer)  # not a partner: only its own stores take it
    if issuer.status != PeerStatus.ACTIVE:
        raise PartnerNotActive(issuer=book.peer, status=str(issuer.status))
    if store is None:
        raise StoreNotFound()
    require_amount(amount_yen, terms.max_voucher_yen)
    core.check_exposure(issuer.max_receivable_yen, issuer.owed_yen, amount_yen)
    store_id, store_name = store
    claim = Claim(
        claim_id=claim_id,
        peer=book.peer,
        role=Role.REDEEMER,
        voucher_id=code.voucher_id,
        store_id=store_id,
        store_name=store_name,
        amount_yen=amount_yen,
        status=ClaimStatus.CLAIMED,
        created_at=now_s,
    )
    name = store_name[:MAX_NAME_CHARS]
    message = ClaimMessage(claim_id, payload, amount_yen, terms.currency, store_id, name)
    step = write_claims(book, [ClaimWrite(None, claim)])
    return replace(step, outgoing=(message,))


def _answers(sent_id: str, answered_id: str, what: str) -> None:
    if sent_id != answered_id:
        raise MalformedEnvelope(f"The reply's result names another {what} than the message.")


def apply_claim_result(book: Book, sent: ClaimMessage, result: ClaimResult, now_s: int) -> Step:
    """The issuer's signed decision on one of our claims: book the receivable, or the rejection.
    A claim no longer CLAIMED was answered before: the first answer stands."""
    _answers(sent.claim_id, result.claim_id, "claim_id")
    if result.decision not in (Decision.ACCEPTED, Decision.REJECTED):
        raise MalformedEnvelope("Unknown claim decision.")
    claim = book.claim(Role.REDEEMER, result.claim_id)
    if claim is None or claim.status != ClaimStatus.CLAIMED:
        return Step(book=book)
    if result.decision == Decision.REJECTED:
        code, message = partner_reason(result.code)
        rejected = replace(
            claim,
            status=ClaimStatus.REJECTED,
            decided_at=result.decided_at,
            reason_code=code,
            reason=message,
        )
        return write_claims(book, [ClaimWrite(claim, rejected)])
    txn_id = derived_txn_id("book", book.peer, claim.claim_id)
    posting = core.book_claim(
        book.peer, claim.store_id, claim.amount_yen, from_epoch(now_s), txn_id
    )
    accepted = replace(
        claim,
        status=ClaimStatus.ACCEPTED,
        decided_at=result.decided_at,
        balance_after=result.balance_after,
    )
    step = write_claims(book, [ClaimWrite(claim, accepted, txn_id=txn_id, needs_receipt=True)])
    return replace(step, postings=(posting,))


def request_void(book: Book, terms: Terms, claim_id: str, now_s: int) -> Step:
    """Staff void a partner-voucher redemption: ask the issuer to give the value back. No
    message goes out when a void is already on its way."""
    claim = book.claim(Role.REDEEMER, claim_id)
    if claim is None:
        raise ClaimNotFound()
    if claim.status == ClaimStatus.CLAIMED:
        raise ClaimPending()
    if claim.status == ClaimStatus.VOIDED:
        raise AlreadyVoided()
    if claim.void_requested_at is not None:
        return Step(book=book)
    if claim.status != ClaimStatus.ACCEPTED or claim.statement_id is not None:
        raise VoidNotAllowed(status=str(claim.status))
    require_same_day(terms, claim, now_s)
    step = write_claims(book, [ClaimWrite(claim, replace(claim, void_requested_at=now_s))])
    return replace(step, outgoing=(ClaimVoidMessage(claim_id=claim_id),))


def apply_void_result(
    book: Book, sent: ClaimVoidMessage, result: ClaimVoidResult, now_s: int
) -> Step:
    """The issuer voided our claim (we take back the receivable) or refused (the claim stands)."""
    _answers(sent.claim_id, result.claim_id, "claim_id")
    if result.decision not in (Decision.VOIDED, Decision.REFUSED):
        raise MalformedEnvelope("Unknown void decision.")
    claim = book.claim(Role.REDEEMER, result.claim_id)
    if claim is None or claim.status != ClaimStatus.ACCEPTED or claim.void_requested_at is None:
        return Step(book=book)
    if result.decision == Decision.REFUSED:
        code, message = partner_reason(result.code)
        kept = replace(claim, void_requested_at=None, reason_code=code, reason=message)
        return write_claims(book, [ClaimWrite(claim, kept)])
    txn_id = derived_txn_id("unbook", book.peer, claim.claim_id)
    posting = core.unbook_claim(
        book.peer, claim.store_id, claim.amount_yen, from_epoch(now_s), txn_id
    )
    voided = replace(claim, status=ClaimStatus.VOIDED, balance_after=result.balance_after)
    step = write_claims(book, [ClaimWrite(claim, voided, void_txn_id=txn_id)])
    return replace(step, postings=(posting,))


# -- at the issuer (A) ---------------------------------------------------------------------------


def voucher_named(payload: str) -> str | None:
    """The voucher a claim's payload names, for the shell to load; None when unreadable."""
    try:
        return parse_code(payload).voucher_id
    except KippuError:
        return None


def _judge_code(
    terms: Terms, msg: ClaimMessage, voucher: Voucher | None, created: int
) -> tuple[VoucherCode, Voucher, int]:
    if msg.currency != terms.currency:
        raise CurrencyMismatch(currency=msg.currency[:8])
    require_amount(msg.amount, terms.max_voucher_yen)
    code = parse_code(msg.payload)
    if code.issuer_id != terms.node_id:
        raise ForeignVoucher("This voucher was not issued by this node.")
    if voucher is None or voucher.voucher_id != code.voucher_id:
        raise VoucherNotFound()
    # The code is judged at the moment the partner's store scanned it (its signed `created`), so
    # a claim delayed by an outage is still decided on its merits. A partner clock running up to
    # one step behind ours would make a fresh code look "from the future": allow that step.
    steps = terms.step_seconds
    scanned = created
    if code.step is not None and code.step > step_of(from_epoch(created), steps):
        scanned = created + steps
    step = verify_code(code, voucher.secret, from_epoch(scanned), steps)
    return code, voucher, step


def decide_claim(
    book: Book,
    terms: Terms,
    msg: ClaimMessage,
    created: int,
    voucher: Voucher | None,
    now_s: int,
    *,
    code_used: bool = False,
    own_stores_only: bool = False,
) -> Step:
    """A partner's store redeemed our voucher (`created`: the claim's signed time): accept or
    reject, as one decision. `code_used`: the code's (step, nonce) was already spent here; the
    shell learns that when it records the code of an acceptance, and then asks again.
    `own_stores_only`: the voucher is spent only at our own stores (a municipal campaign's
    coupon, node/ledger/terms_tables.py), so a partner's claim on it is rejected."""
    require_claim_id(msg.claim_id)
    if msg.amount < 1:
        raise MalformedEnvelope("A claim's amount must be at least 1.")
    if book.claim(Role.ISSUER, msg.claim_id) is not None:
        raise MalformedEnvelope("This claim id was already used in another message.")
    claim = _as_received(book, msg, created, now_s)
    try:
        code, checked, step = _judge_code(terms, msg, voucher, created)
        if own_stores_only:
            raise VoucherNotForThisStore()
        txn_id = derived_txn_id("claim", book.peer, msg.claim_id)
        posting = core.accept_claim(
            checked, book.peer, msg.amount, from_epoch(created), from_epoch(now_s), txn_id
        )
        if code_used:
            raise CodeAlreadyUsed()  # the last check: nothing is written before it
    except KippuError as exc:
        if exc.code not in CLAIM_REFUSALS:
            raise
        return _rejected(book, claim, exc, now_s)
    after = posting.vouchers[0].balance_yen
    accepted = replace(
        claim, voucher_id=checked.voucher_id, status=ClaimStatus.ACCEPTED, balance_after=after
    )
    result = ClaimResult(msg.claim_id, str(Decision.ACCEPTED), "ok", "", after, now_s)
    written = write_claims(book, [ClaimWrite(None, accepted, txn_id=txn_id)])
    spent = (checked.voucher_id, step, code.nonce)
    return replace(written, postings=(posting,), result=result, code_spent=spent)


def _as_received(book: Book, msg: ClaimMessage, created: int, now_s: int) -> Claim:
    """The claim as the issuer keeps it, before the decision (partner text made safe)."""
    return Claim(
        claim_id=msg.claim_id,
        peer=book.peer,
        role=Role.ISSUER,
        voucher_id=voucher_named(msg.payload) or "",
        store_id=printable(msg.store_id, MAX_ID_CHARS),
        store_name=printable(msg.store_name),
        amount_yen=msg.amount,
        status=ClaimStatus.REJECTED,
        created_at=created,
        decided_at=now_s,
    )


def _rejected(book: Book, claim: Claim, exc: KippuError, now_s: int) -> Step:
    rejected = replace(claim, reason_code=exc.code, reason=exc.message[:MAX_NAME_CHARS])
    result = ClaimResult(claim.claim_id, str(Decision.REJECTED), exc.code, exc.message, 0, now_s)
    return replace(write_claims(book, [ClaimWrite(None, rejected)]), result=result)


def decide_void(
    book: Book,
    terms: Terms,
    msg: ClaimVoidMessage,
    created: int,
    voucher: Voucher | None,
    now_s: int,
) -> Step:
    """The partner's staff voided a redemption of our voucher: give the value back, if still
    possible (accepted, not yet in a statement, same business day as the redemption)."""
    require_claim_id(msg.claim_id)
    claim = book.claim(Role.ISSUER, msg.claim_id)
    try:
        if claim is None:
            raise ClaimNotFound()
        if voucher is None:
            raise VoucherNotFound()
        if claim.status == ClaimStatus.VOIDED:
            return Step(book=book, result=_void_result(msg, Decision.VOIDED, voucher.balance_yen))
        if claim.status != ClaimStatus.ACCEPTED or claim.statement_id is not None:
            raise VoidNotAllowed(status=str(claim.status))
        require_same_day(terms, claim, created)
        txn_id = derived_txn_id("void", book.peer, msg.claim_id)
        posting = core.void_accepted_claim(
            voucher, book.peer, claim.amount_yen, from_epoch(now_s), txn_id
        )
    except KippuError as exc:
        if exc.code not in VOID_REFUSALS:
            raise
        refused = ClaimVoidResult(msg.claim_id, str(Decision.REFUSED), exc.code, exc.message, 0)
        return Step(book=book, result=refused)
    voided = replace(claim, status=ClaimStatus.VOIDED)
    written = write_claims(book, [ClaimWrite(claim, voided, void_txn_id=txn_id)])
    result = _void_result(msg, Decision.VOIDED, posting.vouchers[0].balance_yen)
    return replace(written, postings=(posting,), result=result)


def _void_result(msg: ClaimVoidMessage, decision: Decision, balance: int) -> ClaimVoidResult:
    return ClaimVoidResult(
        claim_id=msg.claim_id, decision=str(decision), code="ok", message="", balance_after=balance
    )
