"""What the Payment Services Act makes an issuer show (資金決済法13条, 府令21-22条), as one value.

`build_display` is pure: the pages (node/web/legal.py), the receipt and the shop hand it the
`[issuer]` settings, the brand, where the vouchers can be used now (node/compliance/acceptance.py
loads it live) and, when the display is about one voucher or one product on offer, its terms.
The texts that every issuer shows alike (the purpose of 発行保証金, the 法31条 priority right, the
standard cautions) are page texts (node/web/texts/legal.py); this value carries the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from node.compliance.model import VoucherClass
from node.config.model import IssuerConfig

# The [issuer] keys a display cannot do without, as `kippu status` and the console name them.
REQUIRED_ITEMS: tuple[tuple[str, str], ...] = (
    ("issuer.legal_name", "発行者の名称"),
    ("issuer.address", "発行者の所在地"),
    ("issuer.complaint_desk", "苦情・相談窓口"),
    ("issuer.terms_url or issuer.terms_text", "約款"),
    ("issuer.fraud_policy", "不正利用時の補償方針"),
)
TERMS_PATH = "/terms"
BALANCE_PATH = "/wallet"


@dataclass(frozen=True)
class UsablePlaces:
    """使用できる施設又は場所の範囲: our stores, and each active partner's (by name) now."""

    own_stores: tuple[str, ...]
    partners: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def has_partners(self) -> bool:
        return bool(self.partners)


@dataclass(frozen=True)
class VoucherTerms:
    """The voucher (or the product on offer) a display is about: 支払可能金額等 and 使用期間."""

    amount_yen: int  # face value: what it pays for
    balance_yen: int | None = None  # a voucher's unused balance now; None before purchase
    expires_at: datetime | None = None  # its last moment (a voucher, or a product's fixed end)
    valid_days: int | None = None  # before purchase: days from the sale
    voucher_class: VoucherClass | None = None  # a voucher's class (自家型, 第三者型, 適用除外)


@dataclass(frozen=True)
class LegalDisplay:
    """Every item of 法13条 and 府令21-22条 for one page, receipt or voucher."""

    issuer_name: str  # 発行者の氏名、商号又は名称 ([issuer] legal_name, else the node's name)
    brand_name: str  # what customers call the voucher (さくらPay)
    address: str
    complaint_desk: str  # 苦情又は相談に応ずる営業所又は事務所の所在地及び連絡先
    places: UsablePlaces
    cautions: tuple[str, ...]  # the issuer's own 利用上の注意, one per paragraph
    balance_url: str  # 未使用残高の確認方法: the wallet
    terms_url: str  # 約款: [issuer] terms_url, else our /terms page
    terms_text: str
    registration_number: str  # 第三者型発行者の登録番号, "" when not registered
    deposit_method: str  # deposit, guarantee, trust, or "" (none secured now)
    fraud_policy: str  # 不正利用時の補償方針
    voucher: VoucherTerms | None
    missing: tuple[str, ...]  # the required [issuer] keys not set

    @property
    def is_complete(self) -> bool:
        return not self.missing


def missing_items(issuer: IssuerConfig) -> tuple[str, ...]:
    """The required [issuer] keys not set, as `kippu status` and the console list them."""
    present = {
        "issuer.legal_name": bool(issuer.legal_name),
        "issuer.address": bool(issuer.address),
        "issuer.complaint_desk": bool(issuer.complaint_desk),
        "issuer.terms_url or issuer.terms_text": bool(issuer.terms_url or issuer.terms_text),
        "issuer.fraud_policy": bool(issuer.fraud_policy),
    }
    return tuple(key for key, _label in REQUIRED_ITEMS if not present[key])


def offer_terms(
    face_yen: int, valid_days: int | None, valid_until: datetime | None
) -> VoucherTerms:
    """The terms of a product on offer, before purchase (the shop's display)."""
    return VoucherTerms(amount_yen=face_yen, expires_at=valid_until, valid_days=valid_days)


def build_display(
    issuer: IssuerConfig,
    *,
    node_name: str,
    brand_name: str,
    public_url: str,
    places: UsablePlaces,
    voucher: VoucherTerms | None = None,
) -> LegalDisplay:
    """The display for one page: the settings, where the vouchers can be used, and the voucher."""
    base = public_url.rstrip("/")
    return LegalDisplay(
        issuer_name=issuer.legal_name or node_name,
        brand_name=brand_name or node_name,
        address=issuer.address,
        complaint_desk=issuer.complaint_desk,
        places=places,
        cautions=tuple(p.strip() for p in issuer.cautions.split("\n\n") if p.strip()),
        balance_url=base + BALANCE_PATH,
        terms_url=issuer.terms_url or base + TERMS_PATH,
        terms_text=issuer.terms_text,
        registration_number=issuer.registration_number,
        deposit_method=issuer.deposit_method,
        fraud_policy=issuer.fraud_policy,
        voucher=voucher,
        missing=missing_items(issuer),
    )
