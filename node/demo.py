"""`kippu demo`: one company's day, then three companies settling, on localhost through real node
processes and their admin APIs."""

from __future__ import annotations

import resource
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from node.admin_client import AdminClient
from node.app import prepare_database
from node.config import ListenAddress
from node.demo_campaigns import run_campaigns
from node.demo_crm import run_crm
from node.demo_federation import Company, run_federation
from node.demo_mailbox import mailbox, mailing_config
from node.demo_points import run_points
from node.errors import ApiRefused, ConfigError, NodeUnavailable
from node.home import NodeHome, init_home

Echo = Callable[[str], None]
START_TIMEOUT_S = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_node(
    home: NodeHome,
    log_path: Path,
    descriptor_limit: int | None = None,
    start_timeout_s: float = START_TIMEOUT_S,
) -> Iterator[AdminClient]:
    """Start `kippu serve` for a home as a child process; stop it (SIGTERM) on exit.

    `descriptor_limit` lowers the child's RLIMIT_NOFILE (benchmarks and tests of connection floods);
    `start_timeout_s` is longer for a large database (the start's quick_check reads all of it).
    """

    def limit_descriptors() -> None:
        if descriptor_limit is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
            resource.setrlimit(resource.RLIMIT_NOFILE, (descriptor_limit, hard))

    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "cli", "serve", "--home", str(home.root)],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=limit_descriptors if descriptor_limit is not None else None,
        )
        try:
            yield wait_until_ready(home, process, start_timeout_s)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_ready(
    home: NodeHome, process: subprocess.Popen[bytes], timeout_s: float = START_TIMEOUT_S
) -> AdminClient:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NodeUnavailable(f"the node exited with status {process.returncode}")
        try:
            client = AdminClient.for_home(home)
            client.get("status")
            return client
        except (ConfigError, NodeUnavailable, ApiRefused):
            time.sleep(0.1)
    raise NodeUnavailable(f"the node did not start within {timeout_s:.0f} s")


def _yen(amount: int) -> str:
    return f"¥{amount:,}"


COMPANIES = (
    ("A", "izakaya", "居酒屋はなこ Izakaya Hanako"),
    ("B", "trattoria", "Trattoria Uno"),
    ("C", "hotel", "ホテル桜 Hotel Sakura"),
)
# The companies accept each other's vouchers (第三者型), which needs a registration (資金決済法7条):
# the demo's homes carry a made-up one, as a real federation's config.toml would carry its own.
DEMO_REGISTRATION = "デモ財務局長第00000号 (架空)"


def run_demo(base: Path, echo: Echo) -> dict[str, Any]:
    """Play both parts, printing each step; return the final figures (used by the tests)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    with ExitStack() as stack:
        smtp_port = free_port()
        inbox = stack.enter_context(mailbox(smtp_port))
        companies: list[Company] = []
        for label, slug, name in COMPANIES:
            home = NodeHome(base.resolve() / f"{stamp}-{slug}")
            identity = init_home(
                home,
                name,
                ListenAddress("127.0.0.1", free_port()),
                registration_number=DEMO_REGISTRATION,
            )
            prepare_database(home.database_path)
            if not companies:  # company A mails its customers: to the demo's own mailbox
                text = home.config_path.read_text(encoding="utf-8")
                home.config_path.write_text(mailing_config(text, smtp_port), encoding="utf-8")
            api = stack.enter_context(running_node(home, home.root / "node.log"))
            echo(f"{label}: {name}, node fingerprint {identity.fingerprint} ({home.root})")
            companies.append(Company(label, api, identity.node_id, [], home.root))
        echo("== Part 1: one company's day (A) ==")
        result = _scenario(companies[0].api, echo)
        echo("== Part 1b: points at company A (ポイント) ==")
        result["points"] = run_points(
            companies[0].api, echo, result["stores"][1], result["customers"][0]
        )
        echo("== Part 1c: a municipal campaign run on company A's node (自治体キャンペーン) ==")
        result["campaigns"] = run_campaigns(companies[0].api, echo, result["customers"][0])
        echo("== Part 1d: who the best customers are (顧客分析) ==")
        result["crm"] = run_crm(
            companies[0].api, echo, result["customers"][0], result["stores"], inbox
        )
        companies[0].stores.extend(result["stores"])
        for company in companies[1:]:
            for store in ("本店 Main", "駅前店 Station"):
                made = company.api.post("stores", {"name": f"{company.label} {store}"})
                company.stores.append(str(made["store_id"]))
        result["federation"] = run_federation(companies, echo)
    echo(f"The nodes' homes are kept for inspection under {base.resolve()}")
    return result


def _refused(step: Callable[[], Any]) -> str:
    try:
        step()
    except ApiRefused as exc:
        return exc.refused_code
    raise AssertionError("the node accepted an operation the demo expected it to refuse")


def _scenario(api: AdminClient, echo: Echo) -> dict[str, Any]:
    shinjuku = api.post("stores", {"name": "新宿店 Shinjuku"})
    shibuya = api.post("stores", {"name": "渋谷店 Shibuya"})
    echo(f"1. stores: {shinjuku['name']} ({shinjuku['store_id']}), {shibuya['name']}")
    yamada = api.post("customers", {"name": "山田太郎", "email": "taro@example.jp"})
    sato = api.post("customers", {"name": "佐藤花子", "email": "hanako@example.jp"})
    echo(f"2. customers: {yamada['name']}, {sato['name']}")

    plain = api.post(
        "vouchers",
        {
            "amount": 10_000,
            "customer_id": yamada["customer_id"],
            "store_id": shinjuku["store_id"],
            "valid_days": 365,
        },
    )
    premium = api.post(
        "vouchers",
        {
            "amount": 11_000,
            "price": 10_000,
            "customer_id": sato["customer_id"],
            "store_id": shinjuku["store_id"],
        },
    )
    echo(
        f"3. sold {_yen(plain['face'])} voucher {plain['voucher_id']} to 山田 "
        f"(valid until {plain['expires_at']})"
    )
    echo(f"   sold premium voucher {premium['voucher_id']}: paid ¥10,000, worth ¥11,000")

    code = api.get(f"vouchers/{plain['voucher_id']}/code")
    echo(f"4. customer shows QR: {code['payload'][:40]}...  (manual: {code['manual_code']})")
    redeemed = api.post(
        "redemptions",
        {"payload": code["payload"], "amount": 8_000, "store_id": shibuya["store_id"]},
    )
    echo(
        f"5. 渋谷店 redeems {_yen(redeemed['amount'])}: receipt {redeemed['receipt_no']}, "
        f"{_yen(redeemed['balance_after'])} left"
    )
    replay = _refused(
        lambda: api.post(
            "redemptions",
            {"payload": code["payload"], "amount": 100, "store_id": shibuya["store_id"]},
        )
    )
    echo(f"6. the same QR scanned again (screenshot): refused [{replay}]")
    manual = api.get(f"vouchers/{plain['voucher_id']}/code")["manual_code"]
    too_much = _refused(
        lambda: api.post(
            "redemptions",
            {"payload": manual, "amount": 3_000, "store_id": shibuya["store_id"]},
        )
    )
    echo(f"7. typed code for ¥3,000 with ¥2,000 left: refused [{too_much}]")
    voided = api.post(f"redemptions/{redeemed['redemption_id']}/void")
    echo(f"8. staff void the ¥8,000 redemption: balance back to {_yen(voided['balance_after'])}")

    gift = api.post(
        f"vouchers/{premium['voucher_id']}/gift", {"to": yamada["customer_id"], "amount": 5_000}
    )
    echo(
        f"9. 佐藤 gifts ¥5,000 to 山田: new voucher {gift['voucher_id']}, "
        f"expires {gift['expires_at']}, {_yen(gift['source']['balance'])} stays with 佐藤"
    )
    regift = _refused(
        lambda: api.post(f"vouchers/{gift['voucher_id']}/gift", {"to": sato["customer_id"]})
    )
    echo(f"10. 山田 tries to gift the gifted voucher on: refused [{regift}]")

    check = api.get("ledger/check")
    vouchers = api.get("vouchers")["vouchers"]
    echo(
        f"11. ledger check: {'OK' if check['ok'] else 'FAILED'} — {check['entries']} entries, "
        f"outstanding liability {_yen(check['voucher_liability'])}"
    )
    for v in vouchers:
        echo(
            f"    voucher {v['voucher_id']}: {_yen(v['balance'])} {v['status']}"
            f"{' (gift)' if v['gifted'] else ''}"
        )
    return {
        "check": check,
        "vouchers": vouchers,
        "refusals": [replay, too_much, regift],
        "stores": [shinjuku["store_id"], shibuya["store_id"]],
        "customers": [yamada["customer_id"], sato["customer_id"]],
    }
