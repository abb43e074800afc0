"""The new-campaign form's refusals over real HTTP: each bad field refused beside itself with
what the rule asks, in Japanese and in English, what was typed kept, and nothing created."""

from __future__ import annotations

from tests.campaign_console_helpers import (
    campaigns,
    first_come_form,
    head_office,
    local,
    premium_form,
    send_form,
)
from tests.conftest import AsyncNode
from tests.web_helpers import browsers

# (what changes from a good premium form, the checks ticked, the field at fault, its words in ja)
PREMIUM_CASES: list[tuple[dict[str, str], tuple[str, ...], str, str]] = [
    ({"kind": "coupon"}, (), "kind", "種類を選んで"),
    ({"name": "  "}, (), "name", "100文字以内"),
    ({"name": "名" * 101}, (), "name", "100文字以内"),
    ({"face_yen": "abc"}, (), "face_yen", "1円以上の整数"),
    ({"face_yen": ""}, (), "face_yen", "1円以上の整数"),
    ({"price_yen": "13000"}, (), "price_yen", "額面より低い"),
    ({"price_yen": ""}, (), "price_yen", "額面より低い"),
    ({"local_yen": "13000"}, (), "local_yen", "額面より少ない"),
    ({"stock": "", "budget_yen": ""}, (), "stock", "在庫と予算"),
    ({"stock": "-5"}, (), "stock", "在庫と予算"),
    ({"budget_yen": "100"}, (), "budget_yen", "1回分の付与額"),
    ({"per_person": "101"}, (), "per_person", "1〜100"),
    ({"starts_at": ""}, (), "starts_at", "開始日時"),
    ({"starts_at": "2027-13-01T09:00"}, (), "starts_at", "開始日時"),
    ({"starts_at": "tomorrow"}, (), "starts_at", "開始日時"),
    ({"ends_at": "1999-01-01T00:00"}, (), "ends_at", "開始より後"),
    ({"use_until": "2000-01-01T00:00"}, (), "use_until", "受付終了と同じか"),
    ({}, ("bogus",), "eligibility", "資格確認"),
    ({}, ("residence",), "postcodes", "郵便番号"),
    ({"postcodes": "12"}, ("residence",), "postcodes", "郵便番号"),
    ({"postcodes": "802-0001"}, (), "postcodes", "郵便番号"),
    ({"terms": "x" * 4001}, (), "terms", "4000文字"),
]


async def test_a_bad_field_is_refused_beside_itself_and_nothing_is_created(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        for change, checks, field, words in PREMIUM_CASES:
            sent = {**premium_form(anode), **change}
            answer = await send_form(admin, sent, checks)
            assert (answer.status, answer.code) == (422, "campaign.invalid"), (change, checks)
            assert f'id="cp-new-{field}-error"' in answer.text, (change, field)
            message = answer.text.split(f'id="cp-new-{field}-error"', 1)[1].split("</p>", 1)[0]
            assert words in message, (field, message)
            assert 'value="プレミアム付き商品券 2027"' in answer.text or field == "name"
            assert 'aria-invalid="true"' in answer.text
        assert await campaigns(anode) == []


async def test_a_ticket_book_and_the_rounds_are_refused_beside_their_fields(
    anode: AsyncNode,
) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        cases = [
            ({**premium_form(anode), "kind": "ticket-book", "book_count": "1"}, "book_count"),
            ({**premium_form(anode), "kind": "ticket-book", "book_count": "x"}, "book_count"),
            (first_come_form(anode, round_stock_2="150"), "rounds"),  # 250 of a stock of 300
            (first_come_form(anode, round_stock_2=""), "rounds"),  # a start without its count
            (first_come_form(anode, round_opens_2=local(anode, days=11)), "rounds"),  # too late
            (first_come_form(anode, round_opens_2=local(anode, hours=-1)), "rounds"),  # not after
            (first_come_form(anode, round_stock_2="two hundred"), "rounds"),
        ]
        for sent, field in cases:
            answer = await send_form(admin, sent)
            assert (answer.status, answer.code) == (422, "campaign.invalid"), sent
            assert f'id="cp-new-{field}-error"' in answer.text, (sent, field)
        # the rows typed come back, so a long first-come form is not typed again
        sent = first_come_form(anode, round_opens_4=local(anode, days=3), round_stock_4="5")
        answer = await send_form(admin, sent)
        assert 'name="round_opens_5"' in answer.text and 'value="5"' in answer.text
        assert await campaigns(anode) == []


async def test_the_refusals_read_in_english_too(anode: AsyncNode) -> None:
    async with browsers(anode) as new:
        admin = await head_office(anode, new)
        await admin.get("/lang/en")
        cases = [
            ({"price_yen": "20000"}, "price_yen", "below the face value"),
            ({"ends_at": "1999-01-01T00:00"}, "ends_at", "after it starts"),
            ({"stock": "", "budget_yen": ""}, "stock", "a stock, a budget, or both"),
            ({"kind": ""}, "kind", "Choose the kind"),
        ]
        for change, field, words in cases:
            answer = await send_form(admin, {**premium_form(anode), **change})
            assert (answer.status, answer.code) == (422, "campaign.invalid"), change
            message = answer.text.split(f'id="cp-new-{field}-error"', 1)[1].split("</p>", 1)[0]
            assert words in message, (field, message)
            assert "New campaign" in answer.text
        rounds = await send_form(admin, first_come_form(anode, round_stock_1="1"))
        assert "release the whole stock" in rounds.text
        assert await campaigns(anode) == []
