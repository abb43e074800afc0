"""The 基準日 report of the Payment Services Act (資金決済法), computed from the journal by pure rules.

On each 基準日 (31 March, 30 September) an issuer states its 基準日未使用残高: the value of its
vouchers still unused at the end of that day in its zone. Here it is the sum of the voucher
liability accounts' postings up to that instant (never the vouchers table's balances), beside what
moved during the period since the previous 基準日: issued (発行額: sales less same-day cancels),
collected (回収額: used at our stores, used at partners' stores through their claims, refunded, and
expired: a voucher at or past its expiry at an instant holds nothing then, swept or not), and
gifts and their returns, which move value between vouchers and can move it between classes.
For each class (自家型, 第三者型, exempt: node/compliance/model.py):

    closing = opening + issued - collected + moved

Exempt value (法4条, six months or less) is outside the act: it is shown, and counted toward
nothing. So is value issued free (無償, price ¥0: not for consideration, 法3条1項), from its issue
through the gifts made from it (a gift carries value already issued, here issued free).
Above ¥10,000,000 of unused balance (法5条 for 自家型, 法14条) the issuer must file and
secure 発行保証金 of at least half of the whole unused balance, rounded up to the yen. The
report is filed within two months (31 May, 30 November). Facts: ../shared/reference/vouchers_and_law.md §2.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from node.compliance.model import Acceptance, VoucherClass, classify
from node.errors import KippuError, NotReferenceDate
from node.ledger.calendar import end_of_local_day
from node.ledger.model import EntryKind

THRESHOLD_YEN = 10_000_000  # 法5条, 法14条: 基準額 (令6条)
NEAR_THRESHOLD_PERCENT = 80  # the console warns from here
REFERENCE_DAYS = ((3, 31), (9, 30))  # 基準日: (month, day)
FILING_DEADLINES = {3: (5, 31), 9: (11, 30)}  # two months after: 31 May, 30 November
FIRST_YEAR, LAST_YEAR = 2000, 2999
CLASS_ORDER = (VoucherClass.OWN, VoucherClass.THIRD_PARTY, VoucherClass.EXEMPT, VoucherClass.FREE)
OUTSIDE_ACT = frozenset({VoucherClass.EXEMPT, VoucherClass.FREE})


@dataclass(frozen=True)
class ReferencePeriod:
    """One 基準日, the period since the previous one, and the filing deadline.

    The period is [`starts_at`, `ends_at`): from the end of the previous 基準日 in the node's zone
    to the end of this one."""

    reference_date: date
    previous_date: date
    starts_at: datetime
    ends_at: datetime
    filing_deadline: date


def require_reference_date(day: date) -> None:
    """Only 31 March and 30 September are 基準日, in the years 2000 to 2999."""
    if (day.month, day.day) not in REFERENCE_DAYS:
        raise NotReferenceDate(date=day.isoformat())
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise NotReferenceDate(
            f"Give a 基準日 between {FIRST_YEAR} and {LAST_YEAR}.", date=day.isoformat()
        )


def parse_reference_date(text: str) -> date:
    """`YYYY-MM-DD` naming a 基準日, or NotReferenceDate saying what a 基準日 is."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise NotReferenceDate(
            "Give the 基準日 as YYYY-MM-DD: 31 March or 30 September of a year, e.g. 2027-03-31.",
            date=text[:40],
        ) from None
    if len(text.strip()) != len("YYYY-MM-DD"):
        raise NotReferenceDate(date=text[:40])
    require_reference_date(day)
    return day


def previous_reference_date(day: date) -> date:
    """The 基準日 before `day` (itself a 基準日 or not)."""
    for year in (day.year, day.year - 1):
        for month, dom in reversed(REFERENCE_DAYS):
            candidate = date(year, month, dom)
            if candidate < day:
                return candidate
    raise AssertionError("unreachable: a year holds two 基準日")  # pragma: no cover


def latest_ended(today: date) -> date:
    """The last 基準日 whose day is over on `today` (today's 基準日 is still running)."""
    return previous_reference_date(today)


def next_reference_date(today: date) -> date:
    """The 基準日 on or after `today`: the one whose figures are still moving."""
    for year in (today.year, today.year + 1):
        for month, dom in REFERENCE_DAYS:
            candidate = date(year, month, dom)
            if candidate >= today:
                return candidate
    raise AssertionError("unreachable: a year holds two 基準日")  # pragma: no cover


def reference_period(day: date, zone: ZoneInfo) -> ReferencePeriod:
    require_reference_date(day)
    previous = previous_reference_date(day)
    month, dom = FILING_DEADLINES[day.month]
    return ReferencePeriod(
        reference_date=day,
        previous_date=previous,
        starts_at=end_of_local_day(previous, zone),
        ends_at=end_of_local_day(day, zone),
        filing_deadline=date(day.year, month, dom),
    )


@dataclass(frozen=True)
class VoucherTerms:
    """What decides a voucher's class: its issue, its expiry at the report's instant, its giver,
    and whether it was issued at price ¥0 (a gift's own price is ¥0 too: its giver's decides)."""

    voucher_id: str
    created_at: datetime
    expires_at: datetime | None
    gifted_from: str | None
    issued_free: bool = False


@dataclass(frozen=True)
class VoucherFlow:
    """One voucher's postings of one entry kind, summed as liability (value added is positive):
    before the period, and during it (up to the report's instant)."""

    voucher_id: str
    kind: EntryKind
    before_yen: int
    during_yen: int


@dataclass(frozen=True)
class ClassFigures:
    """One class's figures for the period; `collected_yen` is 回収額 (its four parts)."""

    voucher_class: VoucherClass
    opening_yen: int = 0
    issued_yen: int = 0
    used_here_yen: int = 0
    used_by_partners_yen: int = 0
    refunded_yen: int = 0
    expired_yen: int = 0
    moved_yen: int = 0
    closing_yen: int = 0

    @property
    def collected_yen(self) -> int:
        return self.used_here_yen + self.used_by_partners_yen + self.refunded_yen + self.expired_yen


# Where a kind's liability change during the period goes: issued (+), a part of 回収額 (spent: -),
# or moved (value from voucher to voucher). Kinds that never touch a voucher account are absent;
# a new kind that does must be placed here (an unplaced one is a bug, raised, not guessed).
_FIGURE_OF_KIND: Mapping[EntryKind, str] = {
    EntryKind.ISSUE: "issued_yen",
    EntryKind.SALE_CANCEL: "issued_yen",
    EntryKind.REDEEM: "used_here_yen",
    EntryKind.VOID_REDEMPTION: "used_here_yen",
    EntryKind.CLAIM: "used_by_partners_yen",
    EntryKind.CLAIM_VOID: "used_by_partners_yen",
    EntryKind.REFUND: "refunded_yen",
    EntryKind.EXPIRE: "expired_yen",
    EntryKind.GIFT: "moved_yen",
    EntryKind.GIFT_RETURN: "moved_yen",
}
_ADDS = frozenset({"issued_yen", "moved_yen"})


@dataclass(frozen=True)
class ReferenceDateReport:
    """The 報告書's figures: per class, and for the act (自家型 and 第三者型 together).
    `partners_changed_at`: when any partner's record last changed (the acceptance is today's)."""

    issuer_name: str
    period: ReferencePeriod
    acceptance: Acceptance
    classes: tuple[ClassFigures, ...]
    computed_at: datetime
    partners_changed_at: datetime | None = None

    def of(self, voucher_class: VoucherClass) -> ClassFigures:
        return next(c for c in self.classes if c.voucher_class == voucher_class)

    @property
    def under_act(self) -> tuple[ClassFigures, ...]:
        return tuple(c for c in self.classes if c.voucher_class not in OUTSIDE_ACT)

    @property
    def unused_yen(self) -> int:
        """基準日未使用残高 under the act."""
        return sum(c.closing_yen for c in self.under_act)

    @property
    def opening_yen(self) -> int:
        return sum(c.opening_yen for c in self.under_act)

    @property
    def issued_yen(self) -> int:
        return sum(c.issued_yen for c in self.under_act)

    @property
    def collected_yen(self) -> int:
        return sum(c.collected_yen for c in self.under_act)

    @property
    def moved_yen(self) -> int:
        """Value gifts moved in from exempt vouchers (+) or out to them (-)."""
        return sum(c.moved_yen for c in self.under_act)

    @property
    def passes_threshold(self) -> bool:
        return self.unused_yen > THRESHOLD_YEN

    @property
    def deposit_required_yen(self) -> int:
        """発行保証金 (法14条): at least half of the unused balance, rounded up, above the 基準額."""
        return -(-self.unused_yen // 2) if self.passes_threshold else 0

    @property
    def acceptance_changed_since(self) -> bool:
        """A partner changed after the 基準日 ended: the classes (today's acceptance) may differ
        from the report made at the time, and from what was filed."""
        changed = self.partners_changed_at
        return changed is not None and changed >= self.period.ends_at

    @property
    def is_final(self) -> bool:
        """False while the 基準日 has not ended: the figures so far."""
        return self.computed_at >= self.period.ends_at

    @property
    def filing_required(self) -> bool:
        """A 第三者型 issuer (registered) reports every 基準日; a 自家型 one once its unused balance
        passes the 基準額 (法5条), and while the previous 基準日's did."""
        return (
            self.acceptance.is_third_party
            or self.passes_threshold
            or self.opening_yen > THRESHOLD_YEN
        )


def first_terms(terms: Mapping[str, VoucherTerms]) -> dict[str, VoucherTerms]:
    """Each voucher's original issue, followed back through `gifted_from` to the first one."""
    found: dict[str, VoucherTerms] = {}
    for voucher_id, current in terms.items():
        seen = {voucher_id}
        while (giver := current.gifted_from) is not None and giver in terms and giver not in seen:
            seen.add(giver)
            current = terms[giver]
        found[voucher_id] = current
    return found


def classes_of(
    terms: Iterable[VoucherTerms], acceptance: Acceptance, zone: ZoneInfo
) -> dict[str, VoucherClass]:
    """Each voucher's line in the report: FREE when its first issue was free (無償), else its
    class (`classify`, counted from the first issue)."""
    by_id = {t.voucher_id: t for t in terms}
    first = first_terms(by_id)
    return {
        vid: VoucherClass.FREE
        if first[vid].issued_free
        else classify(first[vid].created_at, t.expires_at, acceptance, zone)
        for vid, t in by_id.items()
    }


def _sum_flows(
    flows: Iterable[VoucherFlow], classes: Mapping[str, VoucherClass]
) -> tuple[dict[VoucherClass, dict[str, int]], dict[str, tuple[int, int]]]:
    """The journal's figures per class, and each voucher's balance at the period's start and at
    its instant (`before`, `before + during`)."""
    sums: dict[VoucherClass, dict[str, int]] = {c: {} for c in CLASS_ORDER}
    balances: dict[str, tuple[int, int]] = {}
    for flow in flows:
        if flow.voucher_id not in classes:
            raise KippuError(f"postings of voucher {flow.voucher_id}, which the report has not")
        figure = _FIGURE_OF_KIND.get(flow.kind)
        if figure is None:
            raise KippuError(f"entry kind {flow.kind} moves voucher value; place it in the report")
        into = sums[classes[flow.voucher_id]]
        change = flow.during_yen if figure in _ADDS else -flow.during_yen
        into[figure] = into.get(figure, 0) + change
        into["opening_yen"] = into.get("opening_yen", 0) + flow.before_yen
        into["closing_yen"] = into.get("closing_yen", 0) + flow.before_yen + flow.during_yen
        opening, closing = balances.get(flow.voucher_id, (0, 0))
        balances[flow.voucher_id] = (
            opening + flow.before_yen,
            closing + flow.before_yen + flow.during_yen,
        )
    return sums, balances


def _expire_unswept(
    sums: dict[VoucherClass, dict[str, int]],
    balances: Mapping[str, tuple[int, int]],
    terms: Iterable[VoucherTerms],
    classes: Mapping[str, VoucherClass],
    period: ReferencePeriod,
) -> None:
    """A voucher at or past its expiry at an instant holds nothing then, swept or not (as the
    ledger refuses to spend it): what the journal still holds is expired, not unused. Its opening
    is nothing when it had expired by the period's start (the previous report counted it expired
    then; no extension can follow an expiry), and its closing is nothing; the difference goes to
    うち失効, so the figures do not depend on when the sweeper ran."""
    for voucher in terms:
        if voucher.expires_at is None or voucher.expires_at > period.ends_at:
            continue
        opening, closing = balances.get(voucher.voucher_id, (0, 0))
        if voucher.expires_at > period.starts_at:
            opening = 0  # it still held its value at the start: the journal's opening stands
        into = sums[classes[voucher.voucher_id]]
        into["opening_yen"] = into.get("opening_yen", 0) - opening
        into["closing_yen"] = into.get("closing_yen", 0) - closing
        into["expired_yen"] = into.get("expired_yen", 0) + closing - opening


def build_report(
    issuer_name: str,
    period: ReferencePeriod,
    terms: Iterable[VoucherTerms],
    flows: Iterable[VoucherFlow],
    acceptance: Acceptance,
    zone: ZoneInfo,
    now: datetime,
) -> ReferenceDateReport:
    """The report from the journal's voucher flows, each voucher in its class, value past its
    expiry at an instant counted as expired (`_expire_unswept`)."""
    loaded = list(terms)
    classes = classes_of(loaded, acceptance, zone)
    sums, balances = _sum_flows(flows, classes)
    _expire_unswept(sums, balances, loaded, classes, period)
    figures = tuple(ClassFigures(c, **sums[c]) for c in CLASS_ORDER)
    return ReferenceDateReport(issuer_name, period, acceptance, figures, now)


def warning_start(day: date) -> date:
    """The console warns from 30 days before a 基準日."""
    return day - timedelta(days=30)
