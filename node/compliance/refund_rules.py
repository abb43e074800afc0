"""Pure rules of the refund ban (資金決済法20条): which refunds are lawful, the 基準期間 a moment
falls in, the small-amount limit, the abolition's claim window, a claim's bank account.

No I/O: dates, `now`, ids and the journal's figures come in as arguments.

The small-amount rule implemented (to be checked against the text of 前払式支払手段に関する
内閣府令 before relying on it, see docs/operations.md): in one 基準期間 the refunds under the
exception may total at most the larger of 20 % of the face value issued in the previous 基準期間
and 5 % of the unused balance at the end of the previous 基準日.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from node.compliance.refund_model import (
    Abolition,
    AccountType,
    BankAccount,
    Period,
    RefundGround,
    SmallAmountBasis,
)
from node.errors import (
    AbolitionOpen,
    BusinessAbolished,
    ClaimPeriodTooShort,
    InvalidBankAccount,
    NoticeDateInPast,
    RefundProhibited,
    RefundReasonRequired,
    RefundWindowClosed,
    RefundWindowNotOpen,
    SmallAmountExceeded,
    ValidationError,
)
from node.ledger.calendar import end_of_local_day, start_of_local_day
from node.text import require_printable

MIN_CLAIM_DAYS = 60  # 法20条2項: 六十日を下らない期間
ISSUANCE_SHARE_PERCENT = 20
UNUSED_SHARE_PERCENT = 5
MAX_REASON_CHARS = 200
MAX_NAME_CHARS = 40
ACCOUNT_NUMBER = re.compile(r"^[0-9]{7}$")
# 口座名義: full-width katakana (half-width becomes full-width under NFKC), the long vowel mark,
# spaces, and the letters, digits and few signs banks print in names (株式会社 as カ), etc.
ACCOUNT_HOLDER = re.compile(r"^[\u30a1-\u30f6\u30fc A-Z0-9().,\-/・]+$")


def period_of(day: date) -> Period:
    """The 基準期間 holding `day`: 1 April - 30 September, or 1 October - 31 March."""
    if 4 <= day.month <= 9:
        return Period(date(day.year, 4, 1), date(day.year, 9, 30))
    year = day.year if day.month >= 10 else day.year - 1
    return Period(date(year, 10, 1), date(year + 1, 3, 31))


def previous_period(period: Period) -> Period:
    return period_of(period.start - timedelta(days=1))


def small_amount_limit(basis: SmallAmountBasis) -> int:
    """The most the period's small-amount refunds may total (see the module docstring)."""
    by_issuance = basis.previous_issued_yen * ISSUANCE_SHARE_PERCENT // 100
    by_unused = basis.previous_unused_yen * UNUSED_SHARE_PERCENT // 100
    return max(by_issuance, by_unused, 0)


def require_small_amount(basis: SmallAmountBasis, amount_yen: int) -> None:
    """Refuse a refund that would carry the period's small-amount total past its limit."""
    limit = small_amount_limit(basis)
    if basis.refunded_yen + amount_yen > limit:
        raise SmallAmountExceeded(
            limit_yen=limit,
            refunded_yen=basis.refunded_yen,
            period_start=basis.period.start.isoformat(),
        )


def checked_ground(text: str | None) -> RefundGround:
    """The ground an admin gives for a voucher refund; none, or abolition (paid only through a
    holder's claim), is the ban itself."""
    if text is None or text == "":
        raise RefundProhibited()
    try:
        ground = RefundGround(text.strip().replace("-", "_"))
    except ValueError as exc:
        raise ValidationError(
            "`ground` must be small_amount or unavoidable.", field="ground"
        ) from exc
    if ground == RefundGround.ABOLITION:
        raise RefundProhibited(
            "資金決済法20条: refunds on abolition are paid only on a holder's claim in the claim"
            " period (kippu compliance claims)."
        )
    return ground


def checked_reason(ground: RefundGround, text: str | None) -> str | None:
    """An unavoidable refund needs its reason (1-200 printable characters); others may have one."""
    reason = (text or "").strip()
    if not reason:
        if ground == RefundGround.UNAVOIDABLE:
            raise RefundReasonRequired(field="reason")
        return None
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationError(f"`reason` is at most {MAX_REASON_CHARS} characters.", field="reason")
    return require_printable(reason, "reason")


def plan_abolition(
    abolition_id: str,
    notice_date: date,
    claim_until: date,
    declared_by: str,
    earlier: list[Abolition],
    now: datetime,
    zone: ZoneInfo,
) -> Abolition:
    """The abolition to record: its notice today or later, its last claim day at least 60 days
    after the notice, and no other abolition whose claim period has not ended."""
    if notice_date < now.astimezone(zone).date():
        raise NoticeDateInPast(field="notice_date")
    if (claim_until - notice_date).days < MIN_CLAIM_DAYS:
        raise ClaimPeriodTooShort(
            earliest=(notice_date + timedelta(days=MIN_CLAIM_DAYS)).isoformat()
        )
    if any(not a.is_closed(now) for a in earlier):
        raise AbolitionOpen()
    return Abolition(
        abolition_id,
        notice_date,
        claim_until,
        start_of_local_day(notice_date, zone),
        end_of_local_day(claim_until, zone),
        declared_by,
        now,
    )


def require_selling(abolition: Abolition | None, now: datetime) -> None:
    """No voucher is sold from the moment an abolition is recorded (announced) until its claim
    period ends: a voucher sold then could not be refunded lawfully (法20条)."""
    if abolition is not None and not abolition.is_closed(now):
        raise BusinessAbolished(notice_date=abolition.notice_date.isoformat())


def require_claimable(abolition: Abolition | None, now: datetime) -> Abolition:
    """The abolition whose claim window is open now, or the reason no claim is taken."""
    if abolition is None or not abolition.has_begun(now):
        raise RefundWindowNotOpen()
    if abolition.is_closed(now):
        raise RefundWindowClosed(claim_until=abolition.claim_until.isoformat())
    return abolition


def _field(form: dict[str, str], name: str) -> str:
    value = unicodedata.normalize("NFKC", form.get(name, "")).strip()
    value = re.sub(r"\s+", " ", value)
    if not value or len(value) > MAX_NAME_CHARS:
        raise InvalidBankAccount(field=name)
    return require_printable(value, name)


def checked_claimant(text: str) -> str:
    """The name of a claimant head office records (a voucher nobody holds): 1-40 printable
    characters, normalised like the account's fields."""
    name = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    if not name or len(name) > MAX_NAME_CHARS:
        raise ValidationError(
            f"Give the claimant's name (`claimant_name`), 1-{MAX_NAME_CHARS} characters.",
            field="claimant_name",
        )
    return require_printable(name, "claimant_name")


def checked_account(form: dict[str, str]) -> BankAccount:
    """A bank account from the claim form's text fields, normalised (NFKC: full-width digits and
    half-width katakana become the usual forms) and checked for shape, not for existence."""
    try:
        kind = AccountType(form.get("account_type", "").strip())
    except ValueError as exc:
        raise InvalidBankAccount(field="account_type") from exc
    number = _field(form, "account_number").replace(" ", "").replace("-", "")
    if not ACCOUNT_NUMBER.match(number):
        raise InvalidBankAccount(field="account_number")
    holder = _field(form, "account_holder").upper()
    if not ACCOUNT_HOLDER.match(holder):
        raise InvalidBankAccount(field="account_holder")
    return BankAccount(_field(form, "bank_name"), _field(form, "branch_name"), kind, number, holder)
