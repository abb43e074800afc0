"""Participating stores on a real node: a store applies on the public page (every bad field
refused with its code, nothing kept), the office approves in the console (the ledger store made,
marked local when asked, its bank account recorded, its code mailed) or rejects with a reason
(mailed); each store's A4 QR poster from the console, the admin API and `kippu store poster`."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pypdf
import segno
from click.testing import CliRunner

from cli import main
from node.campaigns.store_core import CODE_ALPHABET, parse_store_code, store_code
from node.web.store_poster import QR_SIDE, QUIET_MODULES, pay_url
from tests.store_helpers import APPLICATION_NUMBER, Office, application, apply, body_of, office

A4_POINTS = (595.28, 841.89)


async def test_a_store_applies_and_the_office_approves_or_rejects_with_mail(
    tmp_path: Path,
) -> None:
    async with office(tmp_path / "node") as o:
        admin = await o.admin()
        for field, value, code in (
            ("bank_code", "9999", "bank.unknown_bank"),
            ("branch_code", "99", "bank.bad_branch_code"),
            ("holder_kana", "山田商店", "bank.holder_not_kana"),
            ("account_type", "savings", "bank.bad_account_type"),
            ("account_number", "12345678", "bank.bad_account_number"),
            ("store_category", "カジノ", "campaign.store_application_invalid"),
            ("store_email", "not an email", "campaign.store_application_invalid"),
            ("store_name", " ", "campaign.store_application_invalid"),
        ):
            refused = await apply(o, application(**{field: value}))
            assert (refused.status, refused.code) == (422, code), (field, refused.text[:300])
            assert 'id="apply-form"' in refused.text  # the form again, as typed
        listed = await admin.get("/admin/campaigns/stores")
        assert 'id="no-pending"' in listed.text  # nothing refused was kept

        for lang, title in (
            ("ko", "가맹점 신청"),
            ("zh-Hant", "申請成為加盟店鋪"),
            ("en", "Apply as"),
        ):
            shown = await o.person().get(f"/stores/apply?lang={lang}")
            assert shown.status == 200 and title in shown.text, lang
        sent = await apply(o, application())
        assert sent.status == 200 and 'id="store-applied"' in sent.text
        local_id = APPLICATION_NUMBER.search(sent.text)
        big = await apply(
            o, application(store_name="大型スーパー", store_local="", store_email="big@example.jp")
        )
        big_id = APPLICATION_NUMBER.search(big.text)
        assert local_id and big_id
        listed = await admin.get("/admin/campaigns/stores")
        assert f'data-application="{local_id.group(1)}"' in listed.text
        assert "ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ" in listed.text  # the holder as the bank writes it

        approved = await admin.signed_post(f"/admin/campaigns/stores/{local_id.group(1)}/approve")
        assert approved.status == 303 and "done_cst_approved" in approved.location
        mail = body_of(await o.mail_to("shop@example.jp"))
        assert "加盟店申込を承認しました" in mail and "application to take part" in mail
        code = mail.split("店舗コード: ")[1][:6]
        assert parse_store_code(code) == code
        stores: Any = await o.shop.call("GET", "stores")
        store_id = next(s["store_id"] for s in stores["stores"] if s["name"] == "山田商店")
        assert _recorded_bank(o, store_id) == ("0001", "001", "1234567", "ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ")
        assert _groups(o, store_id) == ["local"]
        page = await admin.get("/admin/campaigns/stores")
        assert f'<td class="mono store-code" data-verbatim>{code}</td>' in page.text

        again = await admin.signed_post(f"/admin/campaigns/stores/{local_id.group(1)}/approve")
        assert (again.status, again.code) == (409, "campaign.store_application_decided")

        no_reason = await admin.signed_post(
            f"/admin/campaigns/stores/{big_id.group(1)}/reject", {"reject_reason": " "}
        )
        assert (no_reason.status, no_reason.code) == (422, "campaign.store_application_invalid")
        rejected = await admin.signed_post(
            f"/admin/campaigns/stores/{big_id.group(1)}/reject",
            {"reject_reason": "市外の店舗は対象外です"},
        )
        assert rejected.status == 303 and "done_cst_rejected" in rejected.location
        mail = body_of(await o.mail_to("big@example.jp"))
        assert "市外の店舗は対象外です" in mail
        big_store = _read(
            o, "SELECT store_id FROM campaign_store_applications WHERE email = ?", "big@example.jp"
        )
        assert big_store == [(None,)]
        after: Any = await o.shop.call("GET", "stores")
        assert "大型スーパー" not in [s["name"] for s in after["stores"]]  # no store made
        page = await admin.get("/admin/campaigns/stores")
        assert f'data-application="{big_id.group(1)}" data-status="rejected"' in page.text
        await _posters(o, admin, store_id, code, tmp_path)


async def _posters(o: Office, admin: Any, store_id: str, code: str, tmp_path: Path) -> None:
    answer = await admin.http.get(f"{o.shop.base_url}/admin/campaigns/stores/{store_id}/poster.pdf")
    assert answer.status == 200 and answer.content_type == "application/pdf"
    url = pay_url(o.shop.base_url, code)
    _check_poster(await answer.read(), "山田商店", code, url)

    # The CLI, through the admin API (the node's own thread keeps serving meanwhile); it finds
    # the node through config.toml and admin.token, as `kippu serve` leaves them.
    token = o.shop.api.headers["Authorization"].removeprefix("Bearer ")
    o.shop.home.token_path.write_text(token + "\n", encoding="ascii")
    out = tmp_path / "poster.pdf"
    result = await asyncio.to_thread(
        CliRunner().invoke,
        main,
        ["store", "poster", store_id, "--out", str(out), "--json", "--home", str(o.shop.home.root)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bytes"] == out.stat().st_size
    _check_poster(out.read_bytes(), "山田商店", code, url)

    # A store added before it took part is given a code with its first poster, kept after.
    shop_store = o.shop.store_id
    assert _read(o, "SELECT code FROM campaign_store_codes WHERE store_id = ?", shop_store) == []
    first = await admin.http.get(
        f"{o.shop.base_url}/admin/campaigns/stores/{shop_store}/poster.pdf"
    )
    given = _read(o, "SELECT code FROM campaign_store_codes WHERE store_id = ?", shop_store)[0][0]
    _check_poster(await first.read(), "渋谷店", given, pay_url(o.shop.base_url, given))
    second = await admin.http.get(
        f"{o.shop.base_url}/admin/campaigns/stores/{shop_store}/poster.pdf"
    )
    assert " ".join(given) in _page_text(await second.read())
    api_poster = await o.shop.api.get(
        f"{o.shop.base_url}/api/v1/campaign-stores/{store_id}/poster.pdf"
    )
    assert api_poster.status == 200 and (await api_poster.read()).startswith(b"%PDF")
    nobody = o.person()
    unsigned = await nobody.get(f"/api/v1/campaign-stores/{store_id}/poster.pdf")
    assert (unsigned.status, unsigned.code) == (401, "auth.missing_token")
    not_admin = await nobody.get(f"/admin/campaigns/stores/{store_id}/poster.pdf")
    assert not_admin.status == 303 and not_admin.location.startswith("/admin/login")
    missing = await admin.get("/admin/campaigns/stores/st_nothere/poster.pdf")
    assert (missing.status, missing.code) == (404, "store.not_found")


def _read(o: Office, sql: str, *params: str) -> list[tuple[Any, ...]]:
    """What the node's database holds, read as any SQLite reader would (read-only)."""
    uri = f"file:{o.shop.home.database_path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def _recorded_bank(o: Office, store_id: str) -> tuple[Any, ...]:
    rows = _read(
        o,
        "SELECT bank_code, branch_code, account_number, holder_kana FROM campaign_store_banks"
        " WHERE store_id = ?",
        store_id,
    )
    return rows[0] if rows else ()


def _groups(o: Office, store_id: str) -> list[str]:
    rows = _read(o, "SELECT group_name FROM store_groups WHERE store_id = ?", store_id)
    return [r[0] for r in rows]


def _page_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def _check_poster(pdf: bytes, store_name: str, code: str, url: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = reader.pages[0].extract_text()
    for expected in (store_name, " ".join(code), url, "Store code", "店舗コード"):
        assert expected in text, (expected, text)
    assert _drawn_qr(reader.pages[0]) == [
        [bool(cell) for cell in row] for row in segno.make(url, error="m").matrix
    ]


def _drawn_qr(page: pypdf.PageObject) -> list[list[bool]]:
    """The QR code's modules as the PDF draws them: its filled squares put back on their grid."""
    content = pypdf.generic.ContentStream(page.get_contents(), page.pdf)
    squares = [
        (float(ops[0]), float(ops[1]), float(ops[2]))
        for ops, name in content.operations
        if name == b"re"
    ]
    side = min(w for _, _, w in squares) - 0.05
    left = min(x for x, _, _ in squares) - QUIET_MODULES * side
    top = max(y for _, y, _ in squares) + side + QUIET_MODULES * side
    count = round(QR_SIDE / side) - 2 * QUIET_MODULES
    grid = [[False] * count for _ in range(count)]
    for x, y, _ in squares:
        col = round((x - left) / side) - QUIET_MODULES
        row = round((top - y) / side) - QUIET_MODULES - 1
        grid[row][col] = True
    return grid


def test_a_store_code_catches_a_mistyped_character_and_a_swap() -> None:
    code = store_code(bytes([3, 14, 15, 92, 65]))
    assert len(code) == 6 and parse_store_code(code.lower()) == code
    assert parse_store_code(f"http://city.example/pay/{code}") == code
    for i in range(6):
        for other in CODE_ALPHABET:
            if other != code[i]:
                assert parse_store_code(code[:i] + other + code[i + 1 :]) is None
    for i in range(4):  # neighbours in the body swapped, where they differ
        swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
        if swapped != code:
            assert parse_store_code(swapped) is None
    assert parse_store_code("") is None and parse_store_code("ABCDEFG") is None
