"""`kippu store bank` and PUT /api/v1/stores/{store_id}/bank against a real node: an account is
checked and kept in the transfer's form, replaced by a later one, and every refusal changes
nothing; the stored row is what the database holds."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cli import main
from node.home import NodeHome
from tests.conftest import NodeHandle


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def kippu_json(home: NodeHome, *args: str) -> dict[str, Any]:
    result = kippu(home, *args, "--json")
    assert result.exit_code == 0, result.output + result.stderr
    value: dict[str, Any] = json.loads(result.stdout)
    return value


def stored(home: NodeHome) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home.database_path) as conn:
        return conn.execute(
            "SELECT store_id, bank_code, branch_code, account_type, account_number, holder_kana"
            " FROM campaign_store_banks ORDER BY store_id"
        ).fetchall()


def bank_args(store_id: str, **change: str) -> list[str]:
    options = {
        "--bank": "0005",
        "--branch": "001",
        "--type": "ordinary",
        "--number": "12345",
        "--holder": "株式会社カギヤ",
    }
    options.update({f"--{key}": value for key, value in change.items()})
    return ["store", "bank", store_id, *(word for pair in options.items() for word in pair)]


def test_a_store_account_is_checked_kept_and_replaced(node: NodeHandle) -> None:
    home = node.home
    store = kippu_json(home, "store", "add", "鍵屋")["store_id"]
    answer = kippu_json(home, *bank_args(store))
    assert answer == {
        "store_id": store,
        "bank_code": "0005",
        "bank_name": "三菱ＵＦＪ",
        "branch_code": "001",
        "branch_name": "本店",
        "account_type": "ordinary",
        "account_number": "0012345",
        "holder_kana": "ｶ)ｶｷﾞﾔ",
    }
    assert stored(home) == [(store, "0005", "001", "ordinary", "0012345", "ｶ)ｶｷﾞﾔ")]

    human = kippu(home, *bank_args(store, bank="0033", type="current", holder="かぎや　はなこ"))
    assert human.exit_code == 0, human.stderr
    assert "holder_kana: ｶｷﾞﾔ ﾊﾅｺ" in human.stdout
    assert stored(home) == [(store, "0033", "001", "current", "0012345", "ｶｷﾞﾔ ﾊﾅｺ")]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"bank": "9"}, "bank.bad_bank_code"),
        ({"bank": "0002"}, "bank.unknown_bank"),
        ({"branch": "998"}, "bank.unknown_branch"),
        ({"number": "12-345"}, "bank.bad_account_number"),
        ({"holder": "鍵屋花子"}, "bank.holder_not_kana"),
    ],
)
def test_a_bad_account_is_refused_with_its_code_and_nothing_changes(
    node: NodeHandle, change: dict[str, str], code: str
) -> None:
    home = node.home
    store = kippu_json(home, "store", "add", "鍵屋")["store_id"]
    kippu_json(home, *bank_args(store))
    before = stored(home)
    refused = kippu(home, *bank_args(store, **change), "--json")
    assert refused.exit_code == 1
    error = json.loads(refused.stderr)["error"]
    assert error["code"] == code
    if code == "bank.holder_not_kana":
        assert (error["character"], error["store_id"]) == ("鍵", store)
    assert stored(home) == before


def test_an_unknown_store_is_refused(node: NodeHandle) -> None:
    refused = kippu(node.home, *bank_args("st_nosuch"))
    assert refused.exit_code == 1
    assert "store.not_found" in refused.stderr
    assert stored(node.home) == []


def test_the_api_refuses_a_missing_field_and_unknown_fields(node: NodeHandle) -> None:
    from node.errors import ApiRefused

    store = kippu_json(node.home, "store", "add", "鍵屋")["store_id"]
    body = {"bank_code": "0005", "branch_code": "001", "account_type": "ordinary"}
    with pytest.raises(ApiRefused) as missing:
        node.client.request("PUT", f"stores/{store}/bank", body)
    assert (missing.value.status, missing.value.refused_code) == (400, "request.invalid")
    extra = {**body, "account_number": "1", "holder_kana": "ｱ", "swift": "X"}
    with pytest.raises(ApiRefused):
        node.client.request("PUT", f"stores/{store}/bank", extra)
    assert stored(node.home) == []
