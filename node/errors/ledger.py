"""The ledger's refusals: vouchers, codes, redemptions, gifts, customers, stores."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class LedgerError(KippuError):
    """The ledger refused the operation; nothing was changed."""

    code = "ledger.refused"
    http_status = 409
    areas = ("ledger", "voucher", "redemption", "customer", "store", "sale")
    is_actionable = True


class InsufficientBalance(LedgerError):
    """The voucher's balance is lower than the amount; ask for a smaller amount."""

    code = "ledger.insufficient_balance"


class VoucherExpired(LedgerError):
    """The voucher has expired (有効期限切れ) and can no longer be used."""

    code = "voucher.expired"


class VoucherNotActive(LedgerError):
    """The voucher is not active (used up or void) and cannot be used."""

    code = "voucher.not_active"


class VoucherSuspended(LedgerError):
    """The voucher is suspended (利用停止中, e.g. a lost phone); ask head office to resume it."""

    code = "voucher.suspended"


class VoucherNotSuspended(LedgerError):
    """The voucher is not suspended; there is nothing to resume."""

    code = "voucher.not_suspended"


class ExpiryNotLater(LedgerError):
    """A voucher's expiry can only move later; choose a date after the current expiry."""

    code = "voucher.expiry_not_later"
    http_status = 422


class CodeExpired(LedgerError):
    """The code has expired; ask the customer to show the QR code again."""

    code = "voucher.code_expired"


class CodeInvalid(LedgerError):
    """The code does not match this voucher; scan again or retype it."""

    code = "voucher.code_invalid"


class CodeAlreadyUsed(LedgerError):
    """This code was already used; ask the customer to show a fresh QR code."""

    code = "voucher.code_used"


class ForeignVoucher(LedgerError):
    """This voucher was issued by another company; it can only be used at the issuer's stores."""

    code = "voucher.foreign_issuer"


class GiftNotAllowed(LedgerError):
    """A voucher can be gifted only once, and a gifted voucher can never be gifted again."""

    code = "voucher.gift_not_allowed"


class RecipientNotRegistered(LedgerError):
    """The recipient must first register as a customer; then gift the voucher again."""

    code = "voucher.recipient_not_registered"
    # 422, not 404: the voucher in the address exists; the body names someone unknown.
    http_status = 422


class RestForPartnerVoucher(LedgerError):
    """The rest paid another way is recorded with this node's own vouchers only; redeem a
    partner's voucher for the amount it covers and take the rest as a separate payment."""

    code = "redemption.rest_partner_voucher"
    # 422: the body is well formed; that the code is a partner's is a rule JSON Schema cannot state.
    http_status = 422


class RestNotWholeBalance(LedgerError):
    """A rest paid another way is taken only when the voucher's whole balance is used: the amount
    must be the balance (leaving ¥0). The balance may have changed since the confirm step."""

    code = "redemption.rest_not_whole_balance"


class GiftToHolder(LedgerError):
    """A gift must go to another customer than the voucher's holder."""

    code = "voucher.gift_to_holder"


class GiftAlreadyReceived(LedgerError):
    """The recipient has already received this gift; it is theirs now and cannot be taken back."""

    code = "voucher.gift_already_received"


class GiftNotReturnable(LedgerError):
    """This gift cannot be taken back: only an unreceived, unexpired gift from a valid voucher can."""

    code = "voucher.gift_not_returnable"


class GiftReturned(LedgerError):
    """The sender took this gift back before it was received; ask them for a new gift link."""

    code = "voucher.gift_returned"
    http_status = 410


class AlreadyVoided(LedgerError):
    """This redemption was already voided."""

    code = "redemption.already_voided"


class VoidWindowClosed(LedgerError):
    """A redemption can only be voided on the business day it was made."""

    code = "redemption.void_window_closed"


class SaleAlreadyCancelled(LedgerError):
    """This sale was already cancelled; its money was refunded then, do not refund it again."""

    code = "sale.already_cancelled"


class SaleCancelWindowClosed(LedgerError):
    """A sale can only be cancelled on the business day it was made, at the store that made it."""

    code = "sale.cancel_window_closed"


class SaleVoucherUsed(LedgerError):
    """The voucher of this sale has been used (balance below face); the sale cannot be cancelled."""

    code = "sale.voucher_used"


class SaleAlreadyReceived(LedgerError):
    """The customer has taken this sale's voucher into their wallet (its code may have been shown,
    and a partner's counter may already have taken it); the sale can no longer be cancelled."""

    code = "sale.already_received"


class SaleKeyOfOtherStore(LedgerError):
    """This sale form's one-time key already made a sale at another store: nothing is sold here
    (it would sell twice); confirm the sale again from this store's counter."""

    code = "sale.key_other_store"


class SaleAtOtherStore(LedgerError):
    """This voucher was sold at another store; only that store's counter can cancel the sale."""

    code = "sale.other_store"
    http_status = 403


class SaleCancelled(LedgerError):
    """This voucher's sale was cancelled at the store; the link no longer gives a voucher."""

    code = "sale.cancelled"
    http_status = 410


class AmountOverLimit(LedgerError):
    """The amount is above this node's limit for one voucher (see [ledger] max_voucher_yen)."""

    code = "ledger.amount_over_limit"
    http_status = 422


class PriceAboveFace(LedgerError):
    """The price paid cannot be higher than the voucher's face value."""

    code = "ledger.price_above_face"
    http_status = 422


class CurrencyMismatch(LedgerError):
    """The claim is in another currency than this node's; vouchers are redeemed in one currency."""

    code = "ledger.currency"
    http_status = 422


class DuplicateEmail(LedgerError):
    """A customer with that email address already exists."""

    code = "customer.duplicate_email"


class InvalidPayload(ValidationError):
    """This is not a Kippu voucher code; scan the QR again or type the number shown under it."""

    code = "voucher.invalid_payload"
    # The text matched the API's document (any printable text); that it is no code is a rule the
    # document cannot state, so 422 (node/http/schema_parts.py).
    http_status = 422


class StoreNotFound(NotFound):
    """No store with that id; `kippu store list` shows the stores."""

    code = "store.not_found"


class CustomerNotFound(NotFound):
    """No customer with that id; `kippu customer list` shows the customers."""

    code = "customer.not_found"


class VoucherNotFound(NotFound):
    """No voucher with that id on this node."""

    code = "voucher.not_found"


class RedemptionNotFound(NotFound):
    """No redemption with that id on this node."""

    code = "redemption.not_found"


class SaleNotFound(NotFound):
    """No voucher sold at a store's counter has that number; only counter sales can be cancelled."""

    code = "sale.not_found"


class VoucherNotForThisStore(LedgerError):
    """This voucher can be used only at some stores (a local-only voucher, 専用券, only at the
    small local shops of its campaign), and this store is not one of them; use another voucher
    or pay otherwise."""

    code = "voucher.not_for_this_store"
    http_status = 403
