"""Every error Kippu shows to a person or a partner: one tree, stable codes, one JSON shape.

    KippuError                      internal.error        500 (not actionable: logged, "internal error")
    ├── IllegalTransition           internal.illegal_transition  500 (a bug: rolled back, logged)
    ├── StoreMismatch               internal.store_mismatch      500 (a bug: rolled back, logged)
    ├── ValidationError             request.invalid       400 / 422 (a kind branch: any area)
    │   ├── InvalidAmount, InvalidJson, InvalidText (control, invisible or lone-surrogate text)
    │   ├── WeakPassword            request.weak_password   422 (too few different characters)
    │   ├── InvalidDate             request.invalid_date    422 (no such calendar day)
    │   ├── DateInFuture            request.date_in_future  422 (a report for a day to come)
    │   ├── InvalidPayload          voucher.invalid_payload  422 (text that is no voucher code)
    │   ├── InvalidProduct          product.invalid  422 (a product's terms; the field in `field`)
    │   ├── UnusableUrl, PeerIsSelf  peer.*  422 (a bad [IPv6] address; a request naming ourselves)
    │   ├── InvalidBankAccount      refund.invalid_bank_account  422 (a refund claim's account)
    │   ├── RefundReasonRequired    refund.reason_required  422 (an unavoidable refund's reason)
    │   ├── InvalidPoints           points.invalid  422 (a points request; the field in `field`)
    │   ├── InvalidMemberCode       member.invalid_code  422 (text that is no card code)
    │   ├── InvalidRankTable        rank.invalid  422 (a rank table's field)
    │   ├── InvalidWebhook          webhook.invalid  422 (a webhook's address or events)
    │   ├── InvalidCampaign         campaign.invalid  422 (a campaign's terms; the field in `field`)
    │   ├── InvalidLottery, InvalidSurvey  campaign.*  422 (a lottery's set-up or draw; a questionnaire)
    │   ├── SurveyAnswerInvalid     campaign.answer_invalid  422 (an answer; its question in `question`)
    │   ├── HolderNotKana, HolderTooLong, BadBankCode, UnknownBank, BadBranchCode, UnknownBranch,
    │   ├── BadAccountType, BadAccountNumber, BadTransferAmount  bank.*, payout.bad_amount 422
    │   ├── TransferFileInvalid     payout.bad_file  422 (a 全銀 file read back that breaks the layout)
    │   ├── BadPayoutPeriod         payout.bad_period  422 (not two days in order)
    │   ├── BadWriteOffReason       payout.bad_reason  422 (a carry's write-off without a reason)
    │   ├── InvalidSerial, InvalidSerialCount, InvalidPhone, InvalidEmail, InvalidPostcode
    │   ├──                         eligibility.*  422 (a campaign's eligibility: mistyped input)
    │   ├── InvalidStoreApplication  campaign.store_application_invalid  422 (a store's application)
    │   ├── InvalidSegment, InvalidConsent, InvalidAnalytics  segment.*, consent.*, analytics.* 422
    │   ├── InvalidMail             mail.invalid  422 (a campaign mail's subject, body, time or rate)
    │   └── InvalidProfile          profile.invalid  422 (a customer profile's field)
    ├── NotFound                    *.not_found           404 (a kind branch: any area)
    │   ├── RouteNotFound           request.no_route
    │   ├── PageNotFound            request.no_page
    │   ├── StoreNotFound, CustomerNotFound, VoucherNotFound, RedemptionNotFound (the ledger's)
    │   ├── SaleNotFound            sale.not_found (no counter sale of that voucher)
    │   ├── ProductNotFound         product.not_found
    │   ├── AccountNotFound         account.not_found
    │   ├── ApiKeyNotFound          auth.key_not_found (no integration key in use by that name)
    │   ├── PeerNotFound            peer.not_found
    │   ├── ClaimNotFound, StatementNotFound  settlement.*
    │   ├── PaymentNotFound         payment.not_found (no card payment of that id for you)
    │   ├── NotInLog                audit.not_in_log (nothing a checkpoint covers)
    │   ├── RefundClaimNotFound     refund.claim_not_found
    │   ├── MemberNotFound          member.not_found
    │   ├── PurchaseNotFound, CampaignNotFound, ExchangeItemNotFound, ExchangeOrderNotFound,
    │   ├── LotteryNotFound         points.* (a purchase, campaign, item, order or lottery)
    │   ├── WebhookNotFound         webhook.not_found
    │   ├── WebhookDeliveryNotFound  webhook.delivery_not_found
    │   ├── MunicipalCampaignNotFound  campaign.not_found
    │   ├── StoreApplicationNotFound, StoreCodeUnknown  campaign.* (an application; a store code)
    │   ├── CouponNotHeld           campaign.coupon_not_held (not one of your campaign coupons)
    │   ├── SegmentNotFound         segment.not_found (no saved segment of that name)
    │   ├── MailNotFound, UnsubscribeLinkInvalid  mail.* (a campaign mail; an unsubscribe link)
    │   ├── CampaignTicketUnknown   campaign.ticket_unknown (a waiting ticket: expired, unknown)
    │   └── PayoutNotFound          payout.not_found
    ├── AuthError                   auth.*                401 / 403 / 429
    │   ├── MissingToken, InvalidToken (the admin API's token)
    │   ├── ApiKeyUnknown, ApiKeyRevoked, ApiKeyReadOnly, ApiKeyNotAllowed, ApiKeyNameTaken
    │   │     (integration keys: unknown or revoked 401; scope or admin-only route 403; name 409)
    │   ├── NotSignedIn, BadCredentials, LinkInvalid (web sign-in)
    │   ├── Forbidden, CsrfRejected (another role's page or another store; a stale form: 403)
    │   └── Throttled (too many sign-in or code attempts: 429)
    ├── LoginTaken                  account.login_taken   409 (a staff login in use, or `admin`)
    ├── LedgerError                 ledger.*, voucher.*, redemption.*, customer.*  409 / 422
    │   ├── InsufficientBalance, VoucherExpired, VoucherNotActive, CodeExpired, CodeInvalid,
    │   ├── VoucherSuspended, VoucherNotSuspended, ExpiryNotLater (suspend, resume, extend),
    │   ├── CodeAlreadyUsed, GiftNotAllowed, AlreadyVoided, VoidWindowClosed, ForeignVoucher,
    │   ├── DuplicateEmail, AmountOverLimit, PriceAboveFace, GiftToHolder, CurrencyMismatch
    │   ├── GiftAlreadyReceived, GiftNotReturnable, GiftReturned (410: a gift link taken back)
    │   ├── RecipientNotRegistered (a gift to someone not registered: 422)
    │   ├── SaleAlreadyCancelled, SaleCancelWindowClosed, SaleVoucherUsed (a counter sale's cancel)
    │   ├── SaleAlreadyReceived (a sale's voucher a customer has taken: no cancel)
    │   ├── SaleKeyOfOtherStore (a sale form's one-time key already used at another store)
    │   ├── SaleAtOtherStore, SaleCancelled (403 another store; 410 a cancelled sale's link)
    │   ├── RestNotWholeBalance (a rest with an amount that is not the whole balance)
    │   ├── RestForPartnerVoucher (a split tender with a partner's voucher: 422)
    │   └── VoucherNotForThisStore (a voucher of one store group, e.g. 専用券, elsewhere: 403)
    ├── ProductError                product.*             409 (voucher products, 商品)
    │   ├── ProductNotOnSale, ProductSoldOut (retired or outside its sale period; no stock left)
    │   ├── ProductLimitReached (a customer's count or yen per period: `limit`, `period`)
    │   ├── ProductOnlineOnly (a product with a per-customer limit asked of a counter)
    │   └── ProductRetired (retired already)
    ├── PeerError                   peer.*                400 / 401 / 403 / 409
    │   ├── MalformedEnvelope, BadSignature, UnknownSender, PeerPending, PeerSuspended,
    │   ├── WrongRecipient, MessageExpired, UnknownMessageType, Replayed, SequenceGap, Fork,
    │   ├── HistoryForked (a signed second version of a channel position: alarm, suspension)
    │   ├── IdempotencyConflict, InviteInvalid, InviteExpired, InviteUsed
    │   ├── PeerExists, PeerRemoved (409: registered already; removed, so not suspended or resumed)
    │   ├── JoinRefused (the partner's reason in `partner_code`, `partner_message`)
    │   └── ChannelParked, NotParked, DropNotAllowed, ResignNotAllowed (parked messages, 409)
    ├── SettlementError             settlement.*          409 / 422
    │   ├── PartnerNotActive, ExposureLimit, SettlementPending, ClaimPending, VoidNotAllowed,
    │   ├── StatementOpen, NotThePayer, NotThePayee, StatementNotAgreed, StatementTooLarge,
    │   ├── NothingToSettle
    │   └── ClaimRejected (the issuer's reason code in `reason`)
    ├── PaymentError                payment.*             409 / 400 / 402 / 413 / 502 / 503
    │   ├── PaymentsDisabled, CardDeclined, PaymentProviderUnavailable, PaymentMismatch
    │   └── WebhookSignatureInvalid, WebhookTooLarge (Stripe's webhook: nothing changed)
    ├── PointsError                 points.*, member.*, rank.*  409 / 403 / 422 (free points)
    │   ├── InsufficientPoints, BelowMinimumUse, PointsTxnConflict, PurchaseReturned,
    │   ├── UseAlreadyReturned (a use of points is given back once)
    │   ├── CardCannotSpend (the printed card number earns, never spends: 403)
    │   ├── MemberCodeExpired, MemberCodeInvalid, MemberCodeUsed (the rotating card code)
    │   ├── ExchangeSoldOut, ExchangeOrderClosed (the exchange catalogue)
    │   ├── LotteryNotOpen, LotteryNotClosed, LotteryDrawn, PrizeLimitExceeded, SeedMismatch
    │   ├── LotteryEntryLimit (a member's entries to one lottery are capped)
    │   └── RankFloorNotLower (a manual rank's floor)
    ├── CampaignError               campaign.* (store, bank, serial, eligibility, payout)  409 / 403
    │   ├── CampaignSoldOut, CampaignLimitReached, CampaignNotOpen, CampaignClosed
    │   ├── CampaignSetsHeld (every set left held for a card payment: passes, unlike sold out)
    │   ├── CampaignNotEligible (a check the campaign asks for is missing: 403, in `missing`)
    │   ├── CampaignKindRefused (a lottery's or a survey's coupons asked for directly)
    │   ├── CampaignNotForSale (a campaign that sells no sets: only premium ones are bought by card)
    │   ├── SerialUnknown, SerialUsed, PostcodeNotEligible, SubjectTaken, AlreadyVerified,
    │   ├── OneTimeCodeWrong, OneTimeCodeExpired, OneTimeCodeLocked (eligibility.*: 資格確認)
    │   ├── MethodNotConfigured, MethodNotAsked, MessageNotSent, SmsRefused, LoginFailed, PasskeyFailed
    │   ├── LotteryNotSetUp, LotteryAlreadySetUp, LotteryAlreadyApplied, LotteryEntriesClosed,
    │   ├── LotteryEntriesOpen, LotteryNothingToDraw, LotteryClaimsOpen, LotteryClaimExpired,
    │   ├── LotteryAlreadyClaimed, LotteryNotWon, LotterySeedRefused (the lottery's; 403, 422)
    │   ├── SurveyNotDefined, SurveyLocked, SurveyAlreadyAnswered (the survey's gate)
    │   ├── StoreApplicationDecided, PayFormUsed (an application decided; a pay form used by another)
    │   ├── CampaignBusy (the rush's waiting line is full: 503, come back in `retry_after_ms`)
    │   ├── StoreApplicationsThrottled (too many store applications from one address: 429)
    │   ├── GrantKeyConflict (an Idempotency-Key sent before with another grant)
    │   ├── OneTimeCodeSendsCapped, OneTimeCodeTriesCapped (a day's codes sent or wrong: 429)
    │   └── PayoutError             payout.refused  409 (stores' payouts, the 全銀 file)
    │       ├── StoreBankMissing, RequesterNotSet (a store without an account; no 振込依頼人 set)
    │       ├── PayoutPeriodNotOver, PayoutPeriodOverlaps (a period is paid once, when it is over)
    │       ├── CarryNothingOwed, CarryChanged (writing off what a store owes back from payouts)
    │       ├── CarryRepaidTooMuch, CarryNotLegacy, LegacyCarryOpen (repayments; legacy carries)
    │       └── CarryKeyConflict (an Idempotency-Key sent before with another repayment or write-off)
    ├── CrmError                    crm.*, segment.*, consent.*, profile.*, mail.*  409 (CRM)
    │   ├── SegmentNameTaken        segment.name_taken (a segment of that name exists)
    │   ├── SenderIncomplete        mail.sender_incomplete ([issuer] lacks what 特定電子メール法 asks)
    │   ├── MailNotSent             mail.not_sent  502 (the SMTP server refused a test message)
    │   ├── ReportUnavailable       analytics.unavailable  503 (the analytics' worker stopped)
    │   └── ErasureBlocked, AlreadyErased  crm.* (value still held; erased already)
    ├── WebhookError                webhook.*             409
    │   ├── WebhookUrlTaken
    │   └── WebhookDeliveryDone     webhook.delivered (a delivery received already: no retry)
    ├── AuditError                  audit.*               409 / 422
    │   ├── NoCheckpoint
    │   └── BundleUnreadable, BadEntry (`kippu audit verify` only)
    ├── RefundError                 refund.*              409 / 422 / 403 (資金決済法20条: refunds banned)
    │   ├── RefundProhibited, SmallAmountExceeded (no ground; the small-amount limit reached)
    │   ├── RefundWindowClosed, RefundWindowNotOpen, AbolitionOpen, ClaimPeriodTooShort,
    │   ├── BusinessAbolished (a sale while an abolition is announced or open: none is sold)
    │   ├── NoticeDateInPast (an abolition's notice date before today: 422)
    │   ├── RefundClaimExists, RefundClaimPaid, NothingToRefund, RefundAmountMismatch
    │   ├── RefundVoucherHeld (head office's claim for a voucher someone holds)
    │   └── RefundNotHolder (a claim on someone else's voucher: 403)
    ├── StorageError                storage.*             503 / 409 / 422 (shown: the admin can act)
    │   ├── DiskFull, DatabaseReadOnly, StorageIOError, DatabaseBusy (a write refused; nothing changed)
    │   ├── DatabaseDamaged, DatabaseOfAnotherNode, HomeNotWritable (`kippu serve` refuses)
    │   └── NodeRunning, BackupInvalid, BackupFailed (`kippu backup` / `kippu restore`)
    ├── ComplianceError             compliance.*          409 / 422 (資金決済法)
    │   ├── RegistrationRequired    compliance.registration_required  409 (partner acceptance
    │   │                             unregistered: 第三者型 needs registration, 資金決済法7条)
    │   └── NotReferenceDate        (a 基準日 report for a day that is not 31 March or 30 September)
    ├── ConfigError                 config.invalid        (CLI only)
    ├── RotationUnresolved          node.rotation_unresolved (`kippu serve` refuses to start)
    ├── NodeUnavailable             node.unavailable      503 (CLI only)
    ├── ApiRefused                  node.refused (CLI only: the node's own code in `refused_code`)
    ├── TooManyConnections          server.too_many_connections  503 (connection cap, then closed)
    └── ReceiptUnavailable          receipt.unavailable   503 (no Japanese font for receipt PDFs)

Each top-level branch names the areas of its codes (`areas`); the two kind branches, ValidationError
and NotFound, hold codes of every area, and every 404 is a NotFound. The docstring of each class is
the message a person can act on; `message` may add detail. An error is shown (its code and message,
in the JSON API, the pages and the CLI) when it `is_actionable`: every class but the root and the
internal ones, whatever its status (a 503 for a missing font is shown). The rest, and unexpected
exceptions, are never shown: the middleware logs them and answers "internal error".

One module per area: base (the root, internal errors), request (the two kind branches), auth,
ledger, products, points (and webhooks), campaigns (自治体キャンペーン), crm, peering, settlement,
payments, audit, storage, service (the node as a running service), compliance (資金決済法),
refunds. Import the classes from here:
`from node.errors import X`.
"""

from __future__ import annotations

import functools

from node.errors.audit import AuditError, BadEntry, BundleUnreadable, NoCheckpoint, NotInLog
from node.errors.auth import (
    AccountNotFound,
    ApiKeyNameTaken,
    ApiKeyNotAllowed,
    ApiKeyNotFound,
    ApiKeyReadOnly,
    ApiKeyRevoked,
    ApiKeyUnknown,
    AuthError,
    BadCredentials,
    CsrfRejected,
    Forbidden,
    InvalidToken,
    LinkInvalid,
    LoginTaken,
    MissingToken,
    NotSignedIn,
    Throttled,
)
from node.errors.base import (
    IllegalTransition,
    KippuError,
    StoreMismatch,
    default_message,
    shown_to_user,
)
from node.errors.campaigns import (
    AlreadyVerified,
    BadAccountNumber,
    BadAccountType,
    BadBankCode,
    BadBranchCode,
    BadPayoutPeriod,
    BadTransferAmount,
    BadWriteOffReason,
    CampaignBusy,
    CampaignClosed,
    CampaignError,
    CampaignKindRefused,
    CampaignLimitReached,
    CampaignNotEligible,
    CampaignNotForSale,
    CampaignNotOpen,
    CampaignSetsHeld,
    CampaignSoldOut,
    CampaignTicketUnknown,
    CarryChanged,
    CarryKeyConflict,
    CarryNothingOwed,
    CarryNotLegacy,
    CarryRepaidTooMuch,
    CouponNotHeld,
    GrantKeyConflict,
    HolderNotKana,
    HolderTooLong,
    InvalidCampaign,
    InvalidEmail,
    InvalidLottery,
    InvalidPhone,
    InvalidPostcode,
    InvalidSerial,
    InvalidSerialCount,
    InvalidStoreApplication,
    InvalidSurvey,
    LegacyCarryOpen,
    LoginFailed,
    LotteryAlreadyApplied,
    LotteryAlreadyClaimed,
    LotteryAlreadySetUp,
    LotteryClaimExpired,
    LotteryClaimsOpen,
    LotteryEntriesClosed,
    LotteryEntriesOpen,
    LotteryNothingToDraw,
    LotteryNotSetUp,
    LotteryNotWon,
    LotterySeedRefused,
    MessageNotSent,
    MethodNotAsked,
    MethodNotConfigured,
    MunicipalCampaignNotFound,
    OneTimeCodeExpired,
    OneTimeCodeLocked,
    OneTimeCodeSendsCapped,
    OneTimeCodeTriesCapped,
    OneTimeCodeWrong,
    PasskeyFailed,
    PayFormUsed,
    PayoutError,
    PayoutNotFound,
    PayoutPeriodNotOver,
    PayoutPeriodOverlaps,
    PostcodeNotEligible,
    RequesterNotSet,
    SerialUnknown,
    SerialUsed,
    SmsRefused,
    StoreApplicationDecided,
    StoreApplicationNotFound,
    StoreApplicationsThrottled,
    StoreBankMissing,
    StoreCodeUnknown,
    SubjectTaken,
    SurveyAlreadyAnswered,
    SurveyAnswerInvalid,
    SurveyLocked,
    SurveyNotDefined,
    TransferFileInvalid,
    UnknownBank,
    UnknownBranch,
)
from node.errors.compliance import ComplianceError, NotReferenceDate, RegistrationRequired
from node.errors.crm import (
    AlreadyErased,
    CrmError,
    ErasureBlocked,
    InvalidAnalytics,
    InvalidConsent,
    InvalidMail,
    InvalidProfile,
    InvalidSegment,
    MailNotFound,
    MailNotSent,
    ReportUnavailable,
    SegmentNameTaken,
    SegmentNotFound,
    SenderIncomplete,
    UnsubscribeLinkInvalid,
)
from node.errors.ledger import (
    AlreadyVoided,
    AmountOverLimit,
    CodeAlreadyUsed,
    CodeExpired,
    CodeInvalid,
    CurrencyMismatch,
    CustomerNotFound,
    DuplicateEmail,
    ExpiryNotLater,
    ForeignVoucher,
    GiftAlreadyReceived,
    GiftNotAllowed,
    GiftNotReturnable,
    GiftReturned,
    GiftToHolder,
    InsufficientBalance,
    InvalidPayload,
    LedgerError,
    PriceAboveFace,
    RecipientNotRegistered,
    RedemptionNotFound,
    RestForPartnerVoucher,
    RestNotWholeBalance,
    SaleAlreadyCancelled,
    SaleAlreadyReceived,
    SaleAtOtherStore,
    SaleCancelled,
    SaleCancelWindowClosed,
    SaleKeyOfOtherStore,
    SaleNotFound,
    SaleVoucherUsed,
    StoreNotFound,
    VoidWindowClosed,
    VoucherExpired,
    VoucherNotActive,
    VoucherNotForThisStore,
    VoucherNotFound,
    VoucherNotSuspended,
    VoucherSuspended,
)
from node.errors.payments import (
    CardDeclined,
    PaymentError,
    PaymentMismatch,
    PaymentNotFound,
    PaymentProviderUnavailable,
    PaymentsDisabled,
    WebhookSignatureInvalid,
    WebhookTooLarge,
)
from node.errors.peering import (
    BadSignature,
    ChannelParked,
    DropNotAllowed,
    Fork,
    HistoryForked,
    IdempotencyConflict,
    InviteExpired,
    InviteInvalid,
    InviteUsed,
    JoinRefused,
    MalformedEnvelope,
    MessageExpired,
    NotParked,
    PeerError,
    PeerExists,
    PeerIsSelf,
    PeerNotFound,
    PeerPending,
    PeerRemoved,
    PeerSuspended,
    Replayed,
    ResignNotAllowed,
    SequenceGap,
    UnknownMessageType,
    UnknownSender,
    UnusableUrl,
    WrongRecipient,
)
from node.errors.points import (
    BelowMinimumUse,
    CampaignNotFound,
    CardCannotSpend,
    ExchangeItemNotFound,
    ExchangeOrderClosed,
    ExchangeOrderNotFound,
    ExchangeSoldOut,
    InsufficientPoints,
    InvalidMemberCode,
    InvalidPoints,
    InvalidRankTable,
    InvalidWebhook,
    LotteryDrawn,
    LotteryEntryLimit,
    LotteryNotClosed,
    LotteryNotFound,
    LotteryNotOpen,
    MemberCodeExpired,
    MemberCodeInvalid,
    MemberCodeUsed,
    MemberNotFound,
    PointsError,
    PointsTxnConflict,
    PrizeLimitExceeded,
    PurchaseNotFound,
    PurchaseReturned,
    RankFloorNotLower,
    SeedMismatch,
    UseAlreadyReturned,
    WebhookDeliveryDone,
    WebhookDeliveryNotFound,
    WebhookError,
    WebhookNotFound,
    WebhookUrlTaken,
)
from node.errors.products import (
    InvalidProduct,
    ProductError,
    ProductLimitReached,
    ProductNotFound,
    ProductNotOnSale,
    ProductOnlineOnly,
    ProductRetired,
    ProductSoldOut,
)
from node.errors.refunds import (
    AbolitionOpen,
    BusinessAbolished,
    ClaimPeriodTooShort,
    InvalidBankAccount,
    NothingToRefund,
    NoticeDateInPast,
    RefundAmountMismatch,
    RefundClaimExists,
    RefundClaimNotFound,
    RefundClaimPaid,
    RefundError,
    RefundNotHolder,
    RefundProhibited,
    RefundReasonRequired,
    RefundVoucherHeld,
    RefundWindowClosed,
    RefundWindowNotOpen,
    SmallAmountExceeded,
)
from node.errors.request import (
    DateInFuture,
    InvalidAmount,
    InvalidDate,
    InvalidJson,
    InvalidText,
    NotFound,
    PageNotFound,
    RouteNotFound,
    ValidationError,
    WeakPassword,
)
from node.errors.service import (
    ApiRefused,
    ConfigError,
    NodeUnavailable,
    ReceiptUnavailable,
    RotationUnresolved,
    TooManyConnections,
)
from node.errors.settlement import (
    ClaimNotFound,
    ClaimPending,
    ClaimRejected,
    ExposureLimit,
    NothingToSettle,
    NotThePayee,
    NotThePayer,
    PartnerNotActive,
    SettlementError,
    SettlementPending,
    StatementNotAgreed,
    StatementNotFound,
    StatementOpen,
    StatementTooLarge,
    VoidNotAllowed,
)
from node.errors.storage import (
    BackupFailed,
    BackupInvalid,
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseOfAnotherNode,
    DatabaseReadOnly,
    DiskFull,
    HomeNotWritable,
    NodeRunning,
    StorageError,
    StorageIOError,
)


@functools.cache
def known_codes() -> dict[str, type[KippuError]]:
    """Every stable code of the tree, for codes a partner reports (never shown unchecked)."""
    found: dict[str, type[KippuError]] = {}
    pending: list[type[KippuError]] = [KippuError]
    while pending:
        cls = pending.pop()
        found.setdefault(cls.code, cls)
        pending.extend(cls.__subclasses__())
    return found


__all__ = [
    "AbolitionOpen",
    "AccountNotFound",
    "AlreadyErased",
    "AlreadyVerified",
    "AlreadyVoided",
    "AmountOverLimit",
    "ApiKeyNameTaken",
    "ApiKeyNotAllowed",
    "ApiKeyNotFound",
    "ApiKeyReadOnly",
    "ApiKeyRevoked",
    "ApiKeyUnknown",
    "ApiRefused",
    "AuditError",
    "AuthError",
    "BackupFailed",
    "BackupInvalid",
    "BadAccountNumber",
    "BadAccountType",
    "BadBankCode",
    "BadBranchCode",
    "BadCredentials",
    "BadEntry",
    "BadPayoutPeriod",
    "BadSignature",
    "BadTransferAmount",
    "BadWriteOffReason",
    "BelowMinimumUse",
    "BundleUnreadable",
    "BusinessAbolished",
    "CampaignBusy",
    "CampaignClosed",
    "CampaignError",
    "CampaignKindRefused",
    "CampaignLimitReached",
    "CampaignNotEligible",
    "CampaignNotForSale",
    "CampaignNotFound",
    "CampaignNotOpen",
    "CampaignSetsHeld",
    "CampaignSoldOut",
    "CampaignTicketUnknown",
    "CardCannotSpend",
    "CardDeclined",
    "CarryChanged",
    "CarryKeyConflict",
    "CarryNotLegacy",
    "CarryNothingOwed",
    "CarryRepaidTooMuch",
    "ChannelParked",
    "ClaimNotFound",
    "ClaimPending",
    "ClaimPeriodTooShort",
    "ClaimRejected",
    "CodeAlreadyUsed",
    "CodeExpired",
    "CodeInvalid",
    "ComplianceError",
    "ConfigError",
    "CouponNotHeld",
    "CrmError",
    "CsrfRejected",
    "CurrencyMismatch",
    "CustomerNotFound",
    "DatabaseBusy",
    "DatabaseDamaged",
    "DatabaseOfAnotherNode",
    "DatabaseReadOnly",
    "DateInFuture",
    "DiskFull",
    "DropNotAllowed",
    "DuplicateEmail",
    "ErasureBlocked",
    "ExchangeItemNotFound",
    "ExchangeOrderClosed",
    "ExchangeOrderNotFound",
    "ExchangeSoldOut",
    "ExpiryNotLater",
    "ExposureLimit",
    "Forbidden",
    "ForeignVoucher",
    "Fork",
    "GiftAlreadyReceived",
    "GiftNotAllowed",
    "GiftNotReturnable",
    "GiftReturned",
    "GiftToHolder",
    "GrantKeyConflict",
    "HistoryForked",
    "HolderNotKana",
    "HolderTooLong",
    "HomeNotWritable",
    "IdempotencyConflict",
    "IllegalTransition",
    "InsufficientBalance",
    "InsufficientPoints",
    "InvalidAmount",
    "InvalidAnalytics",
    "InvalidBankAccount",
    "InvalidCampaign",
    "InvalidConsent",
    "InvalidDate",
    "InvalidEmail",
    "InvalidJson",
    "InvalidLottery",
    "InvalidMail",
    "InvalidMemberCode",
    "InvalidPayload",
    "InvalidPhone",
    "InvalidPoints",
    "InvalidPostcode",
    "InvalidProduct",
    "InvalidProfile",
    "InvalidRankTable",
    "InvalidSegment",
    "InvalidSerial",
    "InvalidSerialCount",
    "InvalidStoreApplication",
    "InvalidSurvey",
    "InvalidText",
    "InvalidToken",
    "InvalidWebhook",
    "InviteExpired",
    "InviteInvalid",
    "InviteUsed",
    "JoinRefused",
    "KippuError",
    "LedgerError",
    "LegacyCarryOpen",
    "LinkInvalid",
    "LoginFailed",
    "LoginTaken",
    "LotteryAlreadyApplied",
    "LotteryAlreadyClaimed",
    "LotteryAlreadySetUp",
    "LotteryClaimExpired",
    "LotteryClaimsOpen",
    "LotteryDrawn",
    "LotteryEntriesClosed",
    "LotteryEntriesOpen",
    "LotteryEntryLimit",
    "LotteryNotClosed",
    "LotteryNotFound",
    "LotteryNotOpen",
    "LotteryNotSetUp",
    "LotteryNotWon",
    "LotteryNothingToDraw",
    "LotterySeedRefused",
    "MailNotFound",
    "MailNotSent",
    "MalformedEnvelope",
    "MemberCodeExpired",
    "MemberCodeInvalid",
    "MemberCodeUsed",
    "MemberNotFound",
    "MessageExpired",
    "MessageNotSent",
    "MethodNotAsked",
    "MethodNotConfigured",
    "MissingToken",
    "MunicipalCampaignNotFound",
    "NoCheckpoint",
    "NodeRunning",
    "NodeUnavailable",
    "NotFound",
    "NotInLog",
    "NotParked",
    "NotReferenceDate",
    "NotSignedIn",
    "NotThePayee",
    "NotThePayer",
    "NothingToRefund",
    "NothingToSettle",
    "NoticeDateInPast",
    "OneTimeCodeExpired",
    "OneTimeCodeLocked",
    "OneTimeCodeSendsCapped",
    "OneTimeCodeTriesCapped",
    "OneTimeCodeWrong",
    "PageNotFound",
    "PartnerNotActive",
    "PasskeyFailed",
    "PayFormUsed",
    "PaymentError",
    "PaymentMismatch",
    "PaymentNotFound",
    "PaymentProviderUnavailable",
    "PaymentsDisabled",
    "PayoutError",
    "PayoutNotFound",
    "PayoutPeriodNotOver",
    "PayoutPeriodOverlaps",
    "PeerError",
    "PeerExists",
    "PeerIsSelf",
    "PeerNotFound",
    "PeerPending",
    "PeerRemoved",
    "PeerSuspended",
    "PointsError",
    "PointsTxnConflict",
    "PostcodeNotEligible",
    "PriceAboveFace",
    "PrizeLimitExceeded",
    "ProductError",
    "ProductLimitReached",
    "ProductNotFound",
    "ProductNotOnSale",
    "ProductOnlineOnly",
    "ProductRetired",
    "ProductSoldOut",
    "PurchaseNotFound",
    "PurchaseReturned",
    "RankFloorNotLower",
    "ReceiptUnavailable",
    "RecipientNotRegistered",
    "RedemptionNotFound",
    "RefundAmountMismatch",
    "RefundClaimExists",
    "RefundClaimNotFound",
    "RefundClaimPaid",
    "RefundError",
    "RefundNotHolder",
    "RefundProhibited",
    "RefundReasonRequired",
    "RefundVoucherHeld",
    "RefundWindowClosed",
    "RefundWindowNotOpen",
    "RegistrationRequired",
    "Replayed",
    "ReportUnavailable",
    "RequesterNotSet",
    "ResignNotAllowed",
    "RestForPartnerVoucher",
    "RestNotWholeBalance",
    "RotationUnresolved",
    "RouteNotFound",
    "SaleAlreadyCancelled",
    "SaleAlreadyReceived",
    "SaleAtOtherStore",
    "SaleCancelWindowClosed",
    "SaleCancelled",
    "SaleKeyOfOtherStore",
    "SaleNotFound",
    "SaleVoucherUsed",
    "SeedMismatch",
    "SegmentNameTaken",
    "SegmentNotFound",
    "SenderIncomplete",
    "SequenceGap",
    "SerialUnknown",
    "SerialUsed",
    "SettlementError",
    "SettlementPending",
    "SmallAmountExceeded",
    "SmsRefused",
    "StatementNotAgreed",
    "StatementNotFound",
    "StatementOpen",
    "StatementTooLarge",
    "StorageError",
    "StorageIOError",
    "StoreApplicationDecided",
    "StoreApplicationNotFound",
    "StoreApplicationsThrottled",
    "StoreBankMissing",
    "StoreCodeUnknown",
    "StoreMismatch",
    "StoreNotFound",
    "SubjectTaken",
    "SurveyAlreadyAnswered",
    "SurveyAnswerInvalid",
    "SurveyLocked",
    "SurveyNotDefined",
    "Throttled",
    "TooManyConnections",
    "TransferFileInvalid",
    "UnknownBank",
    "UnknownBranch",
    "UnknownMessageType",
    "UnknownSender",
    "UnsubscribeLinkInvalid",
    "UnusableUrl",
    "UseAlreadyReturned",
    "ValidationError",
    "VoidNotAllowed",
    "VoidWindowClosed",
    "VoucherExpired",
    "VoucherNotActive",
    "VoucherNotForThisStore",
    "VoucherNotFound",
    "VoucherNotSuspended",
    "VoucherSuspended",
    "WeakPassword",
    "WebhookDeliveryDone",
    "WebhookDeliveryNotFound",
    "WebhookError",
    "WebhookNotFound",
    "WebhookSignatureInvalid",
    "WebhookTooLarge",
    "WebhookUrlTaken",
    "WrongRecipient",
    "default_message",
    "known_codes",
    "shown_to_user",
]
