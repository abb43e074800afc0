"""Words the campaign pages share, marked for the catalogue where they are defined and
translated where they are shown (`gettext(KIND_NAMES[kind])` in a template)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for extraction (babel's N_ keyword) without translating it here: the
    reader's language is known only when a page is rendered."""
    return message


# A campaign's kind as a resident reads it, by node.campaigns.model.CampaignKind's value.
KIND_NAMES = {
    "premium": N_("Premium voucher"),
    "first-come": N_("First-come coupon"),
    "lottery": N_("Lottery coupon"),
    "ticket-book": N_("Ticket book"),
    "survey": N_("Survey coupon"),
}

# How a resident receives each kind, in one sentence.
KIND_HOW = {
    "premium": N_("Buy a set at the price shown: it is worth more than you pay."),
    "first-come": N_("Free while the stock lasts: first come, first served."),
    "lottery": N_("Apply during the period; the winners are drawn after it closes."),
    "ticket-book": N_("A book of coupons, each used once."),
    "survey": N_("Answer the survey to receive the coupon."),
}

# Whether a campaign is giving now (node/web/campaign_public.py availability).
AVAILABILITY_NAMES = {
    "open": N_("Open now"),
    "not_yet": N_("Not open yet"),
    "given_out": N_("All given out"),
    "all_held": N_("All held by buyers paying now"),
}

# Where a campaign coupon can be used, by node.campaigns.model.StoreClass's value.
STORE_CLASS_NAMES = {
    "common": N_("At every participating store"),
    "local": N_("Only at the small local shops"),
}

# A coupon's state, by node.ledger.model.VoucherStatus's value.
COUPON_STATUS_NAMES = {
    "active": N_("Usable"),
    "exhausted": N_("Used up"),
    "expired": N_("Expired"),
    "void": N_("Cancelled"),
}

# Where a card purchase of a premium set stands, by node.payments.model.PaymentStatus's value.
PURCHASE_STATUS_NAMES = {
    "pending": N_("Waiting for the card company"),
    "issued": N_("Paid: the vouchers are in your wallet"),
    "refunding": N_("Not granted: being refunded"),
    "refunded": N_("Refunded"),
    "failed": N_("Card declined: nothing charged"),
    "cancelled": N_("Cancelled: nothing charged"),
}

# A way of proving eligibility (資格確認), by node.campaigns.model.Method's value.
METHOD_NAMES = {
    "serial": N_("Serial code"),
    "email": N_("Email address"),
    "sms": N_("SMS (mobile number)"),
    "line": N_("LINE account"),
    "passkey": N_("This device (passkey)"),
    "residence": N_("Your postcode"),
}
