"""The `kippu` CLI against a real node on 127.0.0.1: the scenarios of the README, exit codes, --json."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path
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


def test_init_makes_a_private_home(tmp_path: Path) -> None:
    home = NodeHome(tmp_path / "fresh")
    out = kippu_json(home, "init", "--name", "Trattoria Uno", "--listen", "127.0.0.1:9876")
    assert len(out["node_id"]) == 52
    assert len(out["fingerprint"].split("-")) == 5
    assert stat.S_IMODE(os.stat(home.key_path).st_mode) == 0o600
    assert home.database_path.exists()
    assert 'listen = "127.0.0.1:9876"' in home.config_path.read_text(encoding="utf-8")
    again = kippu(home, "init", "--name", "Other")
    assert again.exit_code == 1
    assert "already holds a node" in again.stderr
    assert kippu(home, "init", "--name", "X", "--listen", "nope").exit_code == 2


def test_a_store_day_through_the_cli(node: NodeHandle, tmp_path: Path) -> None:
    home = node.home
    store = kippu_json(home, "store", "add", "新宿店")
    assert [s["name"] for s in kippu_json(home, "store", "list")["stores"]] == ["新宿店"]
    taro = kippu_json(home, "customer", "add", "--name", "山田太郎", "--email", "Taro@Example.jp")
    hanako = kippu_json(home, "customer", "add", "--name", "佐藤花子")
    assert taro["email"] == "taro@example.jp"
    assert len(kippu_json(home, "customer", "list")["customers"]) == 2

    issued = kippu_json(
        home,
        "voucher",
        "issue",
        "--amount",
        "10000",
        "--customer",
        taro["customer_id"],
        "--store",
        store["store_id"],
        "--valid-days",
        "180",
    )
    assert (issued["balance"], issued["status"], issued["gifted"]) == (10000, "active", False)
    assert issued["expires_at"].endswith("Z")
    voucher_id = issued["voucher_id"]

    png, svg = tmp_path / "qr.png", tmp_path / "qr.svg"
    code = kippu_json(home, "voucher", "qr", voucher_id, "--png", str(png), "--svg", str(svg))
    assert code["payload"].startswith("KIPPU1:")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert "<svg" in svg.read_text(encoding="utf-8")

    spent = kippu_json(
        home, "redeem", code["payload"], "--amount", "8000", "--store", store["store_id"]
    )
    assert (spent["amount"], spent["balance_after"], spent["voucher_id"]) == (
        8000,
        2000,
        voucher_id,
    )
    assert spent["receipt_no"] == "R00000001"
    shown = kippu_json(home, "voucher", "show", voucher_id)
    assert shown["balance"] == 2000
    assert [h["kind"] for h in shown["history"]] == ["issue", "redeem"]

    voided = kippu_json(home, "redemption", "void", spent["redemption_id"])
    assert voided["voided"] is True and voided["balance_after"] == 10000

    gift = kippu_json(
        home, "voucher", "gift", voucher_id, "--to", hanako["customer_id"], "--amount", "3000"
    )
    assert (gift["balance"], gift["gifted"], gift["holder"]) == (3000, True, hanako["customer_id"])
    assert gift["expires_at"].startswith("2027-05-")
    listed = kippu_json(home, "voucher", "list", "--customer", hanako["customer_id"])["vouchers"]
    assert [v["voucher_id"] for v in listed] == [gift["voucher_id"]]

    refused = kippu(home, "voucher", "gift", gift["voucher_id"], "--to", taro["customer_id"])
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1
    assert "voucher.gift_not_allowed" in refused.stderr
    assert kippu_json(home, "ledger", "check")["ok"] is True


def test_human_output_is_readable(node: NodeHandle) -> None:
    result = kippu(node.home, "store", "add", "渋谷店")
    assert result.exit_code == 0
    assert "name: 渋谷店" in result.stdout
    listing = kippu(node.home, "store", "list")
    assert "渋谷店" in listing.stdout and "store_id" in listing.stdout


def test_refusals_exit_1_with_one_line_and_json_error(node: NodeHandle) -> None:
    result = kippu(node.home, "redeem", "not-a-code", "--amount", "100", "--store", "st_x")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "voucher.invalid_payload" in result.stderr
    as_json = kippu(node.home, "voucher", "show", "000000000000", "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stderr)["error"]["code"] == "voucher.not_found"


@pytest.mark.parametrize(
    "args",
    [
        ("redeem", "X", "--amount", "1.5", "--store", "s"),
        ("redeem", "X", "--store", "s"),
        ("voucher", "issue", "--amount", "ten"),
        ("store", "add"),
        ("no-such-command",),
    ],
)
def test_usage_errors_exit_2(node: NodeHandle, args: tuple[str, ...]) -> None:
    assert kippu(node.home, *args).exit_code == 2


def test_wrong_token_and_stopped_node_are_refusals(node: NodeHandle, tmp_path: Path) -> None:
    node.home.token_path.write_text("not-the-token\n", encoding="ascii")
    result = kippu(node.home, "store", "list")
    assert result.exit_code == 1 and "auth.invalid_token" in result.stderr

    stopped = NodeHome(tmp_path / "stopped")
    kippu_json(stopped, "init", "--name", "Closed", "--listen", "127.0.0.1:9")
    no_token = kippu(stopped, "store", "list")
    assert no_token.exit_code == 1 and "config.invalid" in no_token.stderr
    stopped.token_path.write_text("t\n", encoding="ascii")
    unreachable = kippu(stopped, "store", "list")
    assert unreachable.exit_code == 1 and "node.unavailable" in unreachable.stderr


def test_serve_on_a_busy_port_is_a_clear_refusal(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        home = NodeHome(tmp_path / "busy")
        kippu_json(home, "init", "--name", "Busy", "--listen", f"127.0.0.1:{port}")
        result = kippu(home, "serve")
    assert result.exit_code == 1
    assert "cannot listen on" in result.stderr and "config.invalid" in result.stderr
    assert not home.token_path.exists()


def test_peer_import_of_a_toml_list(node: NodeHandle, tmp_path: Path) -> None:
    example = (Path(__file__).resolve().parent.parent / "peers.example.toml").read_text("utf-8")
    # The example's partners live on the internet; point them at closed loopback ports instead.
    local = example.replace("https://uno.example.jp:8470", "http://127.0.0.1:9")
    local = local.replace("https://sakura-hotel.example.jp:8470", "http://127.0.0.1:9")
    listing = tmp_path / "peers.toml"
    listing.write_text(local, encoding="utf-8")
    imported = kippu_json(node.home, "peer", "import", str(listing))["imported"]
    assert [row["result"] for row in imported] == ["added", "added"]
    peers = kippu_json(node.home, "peer", "list")["peers"]
    assert {(p["name"], p["status"]) for p in peers} == {
        ("Trattoria Uno", "pending"),
        ("Hotel Sakura", "pending"),
    }
    assert {p["fingerprint"] for p in peers} == {
        "37c6-6c50-2aeb-dae8-92d3",
        "7a18-7c89-c158-d470-6fcb",
    }
    broken = tmp_path / "broken.toml"
    broken.write_text('[[peer]]\nname = "X"\nnode_id = "nope"\nurl = "ftp://x"\n', "utf-8")
    result = kippu(node.home, "peer", "import", str(broken))
    assert result.exit_code == 1 and "peer[0].node_id" in result.stderr
