"""The refusals of municipal campaigns (自治体キャンペーン): premium vouchers, first-come, lottery,
ticket-book and survey coupons, eligibility, participating stores and their payouts. Each leaves
everything as it was."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class CampaignError(KippuError):
    """The campaign cannot do that now; nothing was changed."""

    code = "campaign.refused"
    http_status = 409
    areas = ("campaign", "store", "bank", "serial", "eligibility", "payout")
    is_actionable = True


class InvalidCampaign(ValidationError):
    """The campaign's terms are not valid; the field is named in `field`."""

    code = "campaign.invalid"
    http_status = 422


class MunicipalCampaignNotFound(NotFound):
    """There is no campaign with that id."""

    code = "campaign.not_found"


class CampaignSoldOut(CampaignError):
    """The campaign has nothing left to give: its stock or budget is used up."""

    code = "campaign.sold_out"


class CampaignSetsHeld(CampaignError):
    """Every set left is held for a resident paying by card right now. Holds not paid lapse
    within the hour and return to stock: try again later. Unlike sold out, this passes."""

    code = "campaign.sets_held"


class CampaignLimitReached(CampaignError):
    """You have received this campaign's coupons as many times as one person may."""

    code = "campaign.limit_reached"


class CampaignNotOpen(CampaignError):
    """The campaign is not open now: see its period (or the next round's start)."""

    code = "campaign.not_open"


class CampaignNotEligible(CampaignError):
    """This campaign asks for a check you have not passed yet; the missing checks are named in
    `missing`."""

    code = "campaign.not_eligible"
    http_status = 403


class CampaignKindRefused(CampaignError):
    """This campaign's coupons are not given that way (a lottery's go to its winners, a survey's
    to those who answered it)."""

    code = "campaign.kind_refused"


class CampaignClosed(CampaignError):
    """The campaign was closed by the office; nothing more is given from it."""

    code = "campaign.closed"


# --- Lottery and survey campaigns (the gates: apply, draw, claim; answer) -----------------------


class InvalidLottery(ValidationError):
    """The lottery's set-up or draw is not valid; the field is named in `field`."""

    code = "campaign.lottery_invalid"
    http_status = 422


class LotteryNotSetUp(CampaignError):
    """This campaign's lottery is not set up (or the campaign is not a lottery)."""

    code = "campaign.lottery_not_set_up"


class LotteryAlreadySetUp(CampaignError):
    """This campaign's lottery is set up already; its commitment cannot change."""

    code = "campaign.lottery_set_up"


class LotteryAlreadyApplied(CampaignError):
    """You have applied to this lottery already; one application per person."""

    code = "campaign.already_applied"


class LotteryEntriesClosed(CampaignError):
    """Applications to this lottery are not taken now: see its application period."""

    code = "campaign.entries_closed"


class LotteryEntriesOpen(CampaignError):
    """The application period has not ended, or the entries are not closed yet: close them
    after the period, then draw."""

    code = "campaign.entries_open"


class LotterySeedRefused(CampaignError):
    """The seed was refused: the secret is not the one committed to, or the beacon round is not
    the one announced (or not after the last draw's)."""

    code = "campaign.seed_refused"
    http_status = 422


class LotteryNothingToDraw(CampaignError):
    """There is nothing to draw: every entry has won already, or no coupon is left for a draw."""

    code = "campaign.nothing_to_draw"


class LotteryClaimsOpen(CampaignError):
    """Winners may still claim until the deadline `claim_until`; draw again after it."""

    code = "campaign.claims_open"


class LotteryNotWon(CampaignError):
    """You have no win to claim in this lottery."""

    code = "campaign.not_won"
    http_status = 403


class LotteryClaimExpired(CampaignError):
    """The deadline to claim this win has passed; the coupon went back to the budget."""

    code = "campaign.claim_expired"


class LotteryAlreadyClaimed(CampaignError):
    """You have claimed this win already; the coupon is in your wallet."""

    code = "campaign.already_claimed"


class InvalidSurvey(ValidationError):
    """The questionnaire is not valid; the field is named in `field`."""

    code = "campaign.survey_invalid"
    http_status = 422


class SurveyAnswerInvalid(ValidationError):
    """An answer does not fit its question; the question's number is in `question`."""

    code = "campaign.answer_invalid"
    http_status = 422


class SurveyNotDefined(CampaignError):
    """This campaign has no questionnaire yet (or the campaign is not a survey)."""

    code = "campaign.survey_not_defined"


class SurveyLocked(CampaignError):
    """Residents have answered this questionnaire already; it can no longer change."""

    code = "campaign.survey_locked"


class SurveyAlreadyAnswered(CampaignError):
    """You have answered this survey already; its coupon is in your wallet."""

    code = "campaign.already_answered"


# --- Stores' bank accounts, the 全銀 transfer file and store payouts (wt/zengin) ---------------


class HolderNotKana(ValidationError):
    """The name cannot be written in the bank's half-width katakana (a kanji or a sign banks do
    not accept); type it in katakana as the passbook shows it."""

    code = "bank.holder_not_kana"
    http_status = 422


class HolderTooLong(ValidationError):
    """The holder's name is longer than a transfer's 30 half-width characters; write it as the
    bank abbreviates it (株式会社 as ｶ), as the passbook shows."""

    code = "bank.holder_too_long"
    http_status = 422


class BadBankCode(ValidationError):
    """A bank code is 4 digits (e.g. 0001); check the passbook."""

    code = "bank.bad_bank_code"
    http_status = 422


class UnknownBank(ValidationError):
    """No bank has this code in the bank-code list; check the 4-digit code."""

    code = "bank.unknown_bank"
    http_status = 422


class BadBranchCode(ValidationError):
    """A branch code is 3 digits (e.g. 001); check the passbook."""

    code = "bank.bad_branch_code"
    http_status = 422


class UnknownBranch(ValidationError):
    """This bank has no branch with this code; check the 3-digit branch code."""

    code = "bank.unknown_branch"
    http_status = 422


class BadAccountType(ValidationError):
    """The account type is ordinary (普通), current (当座) or savings (貯蓄)."""

    code = "bank.bad_account_type"
    http_status = 422


class BadAccountNumber(ValidationError):
    """An account number is up to 7 digits; check the passbook."""

    code = "bank.bad_account_number"
    http_status = 422


class BadTransferAmount(ValidationError):
    """A transfer's amount must be at least ¥1 and at most 10 digits."""

    code = "payout.bad_amount"
    http_status = 422


class PayoutError(CampaignError):
    """The payout cannot be made this way; nothing was changed."""

    code = "payout.refused"


class StoreBankMissing(PayoutError):
    """A store to be paid has no bank account on record; record it (kippu store bank) first."""

    code = "payout.no_bank_account"


class RequesterNotSet(PayoutError):
    """The office's own account (振込依頼人) is not set; fill [campaigns.payout] in config.toml."""

    code = "payout.requester_not_set"


class TransferFileInvalid(ValidationError):
    """This is not a well-formed 全銀 総合振込 file (120-byte records, CRLF, header, data,
    trailer, end, the trailer's totals equal to the data)."""

    code = "payout.bad_file"
    http_status = 422


# --- Participating stores (加盟店): applications, store codes, paying at a store (wt/stores) ---


class InvalidStoreApplication(ValidationError):
    """The store's application is not complete or not valid; the field is named in `field`."""

    code = "campaign.store_application_invalid"
    http_status = 422


class StoreApplicationNotFound(NotFound):
    """There is no store application with that id."""

    code = "campaign.store_application_not_found"


class StoreApplicationDecided(CampaignError):
    """The application was approved or rejected already; its decision stands."""

    code = "campaign.store_application_decided"


class StoreCodeUnknown(NotFound):
    """No participating store has that store code: check the code on the store's poster."""

    code = "campaign.store_code_unknown"


class CouponNotHeld(NotFound):
    """That coupon is not one of your campaign coupons; choose one from the list."""

    code = "campaign.coupon_not_held"


class PayFormUsed(CampaignError):
    """This payment form was used by someone else; start the payment again."""

    code = "campaign.pay_form_used"


class BadPayoutPeriod(ValidationError):
    """A payout's period is two days, the first not after the last (YYYY-MM-DD)."""

    code = "payout.bad_period"
    http_status = 422


class PayoutPeriodNotOver(PayoutError):
    """A period is paid once it is over: its last day must be before today."""

    code = "payout.period_not_over"


class PayoutPeriodOverlaps(PayoutError):
    """Part of this period was paid already (no period is paid twice); pay from the day after
    the last payout's period, or ask for exactly that period to see it again."""

    code = "payout.period_overlaps"


class PayoutNotFound(NotFound):
    """There is no payout with that id."""

    code = "payout.not_found"


# -- Eligibility (資格確認): serial codes, one-time codes by mail and SMS, LINE Login, passkeys,
# -- residence (the helper "verify", issue 18). Codes under eligibility.*; the refusals are
# -- CampaignError's (409 unless said), the mistyped input ValidationError's.


class InvalidSerial(ValidationError):
    """This serial code is mistyped (its check character does not match); compare it with the
    printed card, 16 characters in groups of four."""

    code = "eligibility.serial_mistyped"
    http_status = 422


class SerialUnknown(CampaignError):
    """This serial code is not one of this campaign's; check the campaign and the printed card."""

    code = "eligibility.serial_unknown"
    http_status = 422


class SerialUsed(CampaignError):
    """This serial code was used already; each code proves eligibility once."""

    code = "eligibility.serial_used"


class InvalidSerialCount(ValidationError):
    """The number of serial codes must be 1..100000 in one batch."""

    code = "eligibility.invalid_count"
    http_status = 422


class InvalidPhone(ValidationError):
    """Only Japanese mobile numbers (070, 080 or 090, 11 digits) can receive the code; check the
    number."""

    code = "eligibility.phone_invalid"
    http_status = 422


class InvalidEmail(ValidationError):
    """This is not an email address the code can be sent to; check it."""

    code = "eligibility.email_invalid"
    http_status = 422


class InvalidPostcode(ValidationError):
    """A postcode is 7 digits, written 123-4567 (〒 and full-width digits are accepted)."""

    code = "eligibility.postcode_invalid"
    http_status = 422


class PostcodeNotEligible(CampaignError):
    """This postcode is outside the campaign's area; only its residents can take part."""

    code = "eligibility.postcode_outside"
    http_status = 403


class OneTimeCodeWrong(CampaignError):
    """The code does not match; check the latest message and type it again."""

    code = "eligibility.code_wrong"
    http_status = 422


class OneTimeCodeExpired(CampaignError):
    """The code has expired or none was sent; ask for a new one."""

    code = "eligibility.code_expired"
    http_status = 410


class OneTimeCodeLocked(CampaignError):
    """Too many wrong codes; ask for a new code."""

    code = "eligibility.code_locked"
    http_status = 429


class SubjectTaken(CampaignError):
    """This serial code, phone number, LINE account, device or address has proved eligibility for
    another resident of this campaign already; each proves it for one resident."""

    code = "eligibility.subject_taken"


class AlreadyVerified(CampaignError):
    """You have proved eligibility this way for this campaign already, with another serial code,
    number, account or device."""

    code = "eligibility.already_verified"


class MethodNotConfigured(CampaignError):
    """This way of proving eligibility is not set up on this node; ask the campaign office."""

    code = "eligibility.not_configured"
    http_status = 503


class MethodNotAsked(CampaignError):
    """This campaign does not ask for this check; see the checks its page lists."""

    code = "eligibility.not_asked"


class MessageNotSent(CampaignError):
    """The code could not be sent just now; try again in a few minutes."""

    code = "eligibility.not_sent"
    http_status = 503


class SmsRefused(CampaignError):
    """The SMS provider refused to send to this number; check it, or use another way."""

    code = "eligibility.sms_refused"
    http_status = 422


class LoginFailed(CampaignError):
    """The sign-in with LINE did not complete (expired, cancelled, or not confirmed); start it
    again."""

    code = "eligibility.line_failed"
    http_status = 422


class PasskeyFailed(CampaignError):
    """This device's passkey could not be registered (cancelled, expired, or not confirmed);
    try again."""

    code = "eligibility.passkey_failed"
    http_status = 422


# -- The rush (先着の殺到): the waiting room's answers (node/admission, node/campaigns/rush.py) --


class CampaignBusy(CampaignError):
    """So many people are waiting for this campaign that the line is full; please try again
    after `retry_after_ms` milliseconds."""

    code = "campaign.busy"
    http_status = 503


class CampaignTicketUnknown(NotFound):
    """There is no waiting ticket of that number for this campaign (it expired after not being
    checked for a while, or it was never given): please ask again."""

    code = "campaign.ticket_unknown"


# -- polish (issue 18's named shortcuts): the public store application's throttle ---------------


class StoreApplicationsThrottled(CampaignError):
    """Too many store applications were sent from your connection; please wait a while
    (`retry_after_s` seconds) and send it again."""

    code = "campaign.store_apply_throttled"
    http_status = 429


# -- keys: the office's grant safe to retry; one-time codes capped per day (part "keys") -------


class GrantKeyConflict(CampaignError):
    """This Idempotency-Key was sent already with another grant (another campaign, customer or
    caller); send a new key, or the same request again to get its first answer."""

    code = "campaign.idempotency_conflict"


class OneTimeCodeSendsCapped(CampaignError):
    """As many codes as one day allows were sent to this address or number, or for you, today;
    try again tomorrow, or prove eligibility another way."""

    code = "eligibility.code_sends_capped"
    http_status = 429


class OneTimeCodeTriesCapped(CampaignError):
    """Too many wrong codes were typed today for this address or number, or by you; try again
    tomorrow."""

    code = "eligibility.code_tries_capped"
    http_status = 429


# --- carry: what a store owes back from its payouts, carried forward and written off -----------


class CarryNothingOwed(PayoutError):
    """This store owes nothing back from its payouts: there is nothing to write off."""

    code = "payout.nothing_owed"


class CarryChanged(PayoutError):
    """What this store owes back is not the amount given (a run or a write-off changed it since
    the page was shown): it owes `carry_yen` now; check it and write off that amount."""

    code = "payout.carry_changed"


class BadWriteOffReason(ValidationError):
    """A write-off needs its reason (why the office forgoes what the store owes back: the store
    left, ...), up to 500 characters."""

    code = "payout.bad_reason"
    http_status = 422


# premium: residents buy premium vouchers by card in the wallet


class CampaignNotForSale(CampaignError):
    """This campaign's coupons are not sold (only a premium voucher campaign sells its sets;
    the others are given free on their own page)."""

    code = "campaign.not_for_sale"


# --- carry2: repayments of carries; carries left by runs before migration 0043 ----------------


class CarryRepaidTooMuch(PayoutError):
    """The repayment is more than this store owes back (`carry_yen`); record what it owes at
    most (a store that paid more is refunded the difference by hand, outside Kippu)."""

    code = "payout.repaid_too_much"


class CarryNotLegacy(PayoutError):
    """This store owes no carry from runs before the carry-forward (migration 0043) that waits
    for the office's review: there is nothing to keep."""

    code = "payout.not_legacy"


class LegacyCarryOpen(PayoutError):
    """Stores (`store_ids`) owe carries from runs before the carry-forward, when a negative net
    was settled by hand: record each as repaid, write it off, or keep it for the runs to net
    (kippu campaign carries) before the next run."""

    code = "payout.legacy_carry_open"


# --- carry3: idempotency keys on a carry's repayment, write-off and keep -----------------------


class CarryKeyConflict(PayoutError):
    """This Idempotency-Key already recorded another repayment, write-off or keep (another
    store, amount, kind, note or caller); send a new key, or the same request again to get its
    first answer."""

    code = "payout.idempotency_conflict"
