"""The legal display's value (資金決済法13条): its items, the missing ones, and how it renders."""

from __future__ import annotations

from datetime import UTC, datetime

from node.compliance.display import (
    UsablePlaces,
    VoucherTerms,
    build_display,
    missing_items,
    offer_terms,
)
from node.compliance.model import VoucherClass
from node.config.model import IssuerConfig
from node.web.i18n import translator
from node.web.pages import environment, last_day

FULL = IssuerConfig(
    legal_name="株式会社さくら",
    address="東京都千代田区1-1",
    complaint_desk="お客様窓口 03-0000-0000",
    terms_url="https://example.jp/terms",
    cautions="転売はできません。\n\n現金とは交換できません。",
    registration_number="関東財務局長第00001号",
    deposit_method="deposit",
    fraud_policy="不正利用による損害は全額補償します。",
)
PLACES = UsablePlaces(("本店", "駅前店"), (("ぶどう屋", ("一号店",)), ("もも屋", ())))


def test_missing_items_name_each_required_key() -> None:
    assert missing_items(FULL) == ()
    assert missing_items(IssuerConfig()) == (
        "issuer.legal_name",
        "issuer.address",
        "issuer.complaint_desk",
        "issuer.terms_url or issuer.terms_text",
        "issuer.fraud_policy",
    )
    assert missing_items(IssuerConfig(terms_text="約款")) == (
        "issuer.legal_name",
        "issuer.address",
        "issuer.complaint_desk",
        "issuer.fraud_policy",
    )


def test_display_falls_back_to_the_node_and_our_terms_page() -> None:
    legal = build_display(
        IssuerConfig(),
        node_name="さくら",
        brand_name="",
        public_url="https://kippu.example/",
        places=UsablePlaces(()),
    )
    assert legal.issuer_name == "さくら"
    assert legal.brand_name == "さくら"
    assert legal.terms_url == "https://kippu.example/terms"
    assert legal.balance_url == "https://kippu.example/wallet"
    assert not legal.is_complete


def test_display_carries_every_item() -> None:
    legal = build_display(
        FULL,
        node_name="sakura",
        brand_name="さくらPay",
        public_url="https://kippu.example",
        places=PLACES,
        voucher=VoucherTerms(
            5000, 1200, datetime(2027, 1, 31, 15, tzinfo=UTC), None, VoucherClass.OWN
        ),
    )
    assert legal.is_complete
    assert legal.issuer_name == "株式会社さくら"
    assert legal.terms_url == "https://example.jp/terms"
    assert legal.cautions == ("転売はできません。", "現金とは交換できません。")
    assert legal.places.has_partners


def _render(legal: object, lang: str = "ja") -> str:
    zone = __import__("zoneinfo").ZoneInfo("Asia/Tokyo")
    env = environment()
    page = env.from_string('{% include "_legal_display.html" %}')
    return page.render(t=translator(lang), through=last_day(zone), legal=legal)


def test_the_include_renders_every_item_in_japanese() -> None:
    voucher = VoucherTerms(
        5000, 1200, datetime(2027, 1, 31, 15, tzinfo=UTC), None, VoucherClass.EXEMPT
    )
    legal = build_display(
        FULL,
        node_name="sakura",
        brand_name="さくらPay",
        public_url="https://k.example",
        places=PLACES,
        voucher=voucher,
    )
    html = _render(legal)
    for text in (
        "株式会社さくら",
        "さくらPay",
        "関東財務局長第00001号",
        "¥5,000",
        "¥1,200",
        "お客様窓口 03-0000-0000",
        "本店、駅前店",
        "ぶどう屋",
        "一号店",
        "もも屋",
        "店舗一覧を受信中",
        "転売はできません。",
        "払戻し",
        "https://k.example/wallet",
        "https://example.jp/terms",
        "資金決済法14条",
        "資金決済法31条",
        "供託所への供託",
        "全額補償",
        "適用除外",
    ):
        assert text in html, text
    assert "Issuer" in _render(legal, "en")


def test_the_include_before_purchase_and_unset_items() -> None:
    legal = build_display(
        IssuerConfig(),
        node_name="sakura",
        brand_name="",
        public_url="http://127.0.0.1:1",
        places=UsablePlaces(()),
        voucher=offer_terms(10_000, 90, None),
    )
    html = _render(legal)
    assert "購入日から90日間" in html
    assert "発行者が準備中です" in html
    assert "現在、保全はしていません" in html
    assert "店舗の登録はまだありません" in html
