"""The `kippu` command: parses arguments, calls the running node's admin API, prints the answer.

Exit status: 0 success, 1 refused (one-line reason on stderr), 2 usage error.

The commands that run a node (init, serve, backup, restore, demo) import it inside their bodies,
for start-up speed only: the rest of `kippu` never loads aiohttp and the app (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from node.campaigns.commands import campaign
from node.campaigns.gate_commands import COMMANDS as CAMPAIGN_GATE_COMMANDS
from node.campaigns.payout_commands import COMMANDS as PAYOUT_COMMANDS
from node.campaigns.serial_commands import COMMANDS as CAMPAIGN_SERIAL_COMMANDS
from node.campaigns.store_commands import COMMANDS as STORE_BANK_COMMANDS
from node.cli_support import client, command, print_list, print_result, print_table
from node.compliance.commands import compliance
from node.compliance.refund_commands import add_refund_commands, add_voucher_refund
from node.config import parse_listen
from node.crm.commands import CUSTOMER_COMMANDS, analytics, segment
from node.crm.mail_commands import mail
from node.home import NodeHome, init_home
from node.peering.commands import peer
from node.points.commands import member, points
from node.points.exchange_commands import COMMANDS as POINTS_EXCHANGE_COMMANDS
from node.points.rank_commands import rank
from node.points.report_commands import COMMANDS as POINTS_REPORT_COMMANDS
from node.products.commands import product
from node.settlement.audit.commands import audit
from node.settlement.commands import settlement
from node.web.commands import admin, apikey, staff
from node.webhooks.commands import webhook


@click.group()
@click.version_option(package_name="kippu")
def main() -> None:
    """Kippu: your company's digital vouchers (デジタル商品券), run from your own node."""


main.add_command(peer)
main.add_command(settlement)
main.add_command(compliance)
main.add_command(audit)
main.add_command(staff)
main.add_command(admin)
main.add_command(apikey)
main.add_command(product)
main.add_command(points)
main.add_command(member)
main.add_command(webhook)
main.add_command(rank)
main.add_command(campaign)
main.add_command(segment)
main.add_command(analytics)
main.add_command(mail)
for _gate_command in CAMPAIGN_GATE_COMMANDS:
    campaign.add_command(_gate_command)
for _payout_command in PAYOUT_COMMANDS:
    campaign.add_command(_payout_command)
for _campaign_command in CAMPAIGN_SERIAL_COMMANDS:
    campaign.add_command(_campaign_command)
for _points_command in (*POINTS_EXCHANGE_COMMANDS, *POINTS_REPORT_COMMANDS):
    points.add_command(_points_command)


@command(main, "init")
@click.option("--name", required=True, help="Company or brand name shown to partners.")
@click.option("--listen", default="127.0.0.1:8470", show_default=True, help="HOST:PORT to serve.")
def init_cmd(home: Path, as_json: bool, name: str, listen: str) -> None:
    """Create a node home: config.toml, Ed25519 key (0600) and the SQLite database."""
    from node.app import prepare_database

    try:
        address = parse_listen(listen)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--listen") from exc
    node_home = NodeHome(home)
    identity = init_home(node_home, name, address)
    prepare_database(node_home.database_path)
    print_result(
        {
            "home": str(home),
            "name": name,
            "listen": str(address),
            "node_id": identity.node_id,
            "fingerprint": identity.fingerprint,
        },
        as_json,
    )


@command(main, "serve")
@click.option("--no-discovery", is_flag=True, help="Do not announce the node on the LAN.")
def serve_cmd(home: Path, as_json: bool, no_discovery: bool) -> None:
    """Run the node until interrupted (Ctrl-C or SIGTERM)."""
    from node.server import serve

    logging.basicConfig(
        level=os.environ.get("KIPPU_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(serve(NodeHome(home), discovery=not no_discovery))


@command(main, "backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The backup file to write (0600; replaced atomically if it exists).",
)
def backup_cmd(home: Path, as_json: bool, out: Path) -> None:
    """Copy the database while the node runs: consistent, 0600, checked. Not node.key."""
    from node.backup import make_backup

    made = make_backup(NodeHome(home).database_path, out)
    print_result(
        {
            "backup": str(made.path),
            "bytes": made.size_bytes,
            "seconds": round(made.seconds, 3),
            "integrity": "ok",
            "migrations": made.check.migrations,
            "node_id": made.check.node_id,
            "includes_key": False,
        },
        as_json,
    )


@command(main, "restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--accept-unknown-key",
    is_flag=True,
    help="Restore a backup made before the last `kippu key rotate` (its books do not list the"
    " current key: later checkpoints fail `kippu audit verify`).",
)
def restore_cmd(home: Path, as_json: bool, backup: Path, accept_unknown_key: bool) -> None:
    """Replace the stopped node's database with a checked backup; keep the replaced files."""
    from node.backup import restore_backup

    restored = restore_backup(NodeHome(home), backup, accept_unknown_key=accept_unknown_key)
    print_result(
        {
            "restored": str(backup),
            "database": str(NodeHome(home).database_path),
            "integrity": "ok",
            "migrations": restored.check.migrations,
            "node_id": restored.check.node_id,
            "kept": ", ".join(str(path) for path in restored.kept) or "(nothing)",
            "current_key_recorded": restored.key_recorded,
        },
        as_json,
    )


@command(main, "status")
def status_cmd(home: Path, as_json: bool) -> None:
    """Show the running node's name, id and fingerprint, and what the 資金決済法 duties lack."""
    result = client(home).get("status")
    print_result(result, as_json)
    if not as_json:
        for warning in result.get("compliance_warnings", []):
            click.echo(f"warning: {warning}")


@main.group()
def key() -> None:
    """The node's signing key."""


@command(key, "rotate")
def key_rotate(home: Path, as_json: bool) -> None:
    """Switch to a new key; partners learn it from a notice signed by the old key."""
    print_result(client(home).post("key/rotate"), as_json)


@main.group()
def store() -> None:
    """Stores (店舗) where vouchers are sold and redeemed."""


@command(store, "add")
@click.argument("name")
def store_add(home: Path, as_json: bool, name: str) -> None:
    """Add a store."""
    print_result(client(home).post("stores", {"name": name}), as_json, ("store_id", "name"))


@command(store, "list")
def storeprint_list(home: Path, as_json: bool) -> None:
    """List stores."""
    print_list(client(home).get("stores"), "stores", as_json, ("store_id", "name", "created_at"))


for _store_command in STORE_BANK_COMMANDS:
    store.add_command(_store_command)


@main.group()
def customer() -> None:
    """Customers (お客様) who hold vouchers."""


@command(customer, "add")
@click.option("--name", required=True)
@click.option("--email", default=None)
def customer_add(home: Path, as_json: bool, name: str, email: str | None) -> None:
    """Register a customer."""
    body: dict[str, Any] = {"name": name}
    if email is not None:
        body["email"] = email
    print_result(client(home).post("customers", body), as_json)


@command(customer, "list")
def customerprint_list(home: Path, as_json: bool) -> None:
    """List customers."""
    print_list(
        client(home).get("customers"), "customers", as_json, ("customer_id", "name", "email")
    )


for _customer_command in CUSTOMER_COMMANDS:
    customer.add_command(_customer_command)


@main.group()
def voucher() -> None:
    """Vouchers (商品券): issue, show, QR code, gift, expire, cancel a counter sale, refund."""


add_voucher_refund(voucher)


add_refund_commands(compliance)

VOUCHER_KEYS = ("voucher_id", "balance", "status", "expires_at", "gifted", "holder")


@command(voucher, "issue")
@click.option("--amount", type=int, required=True, help="Face value in yen.")
@click.option("--price", type=int, default=None, help="Price paid in yen (default: face value).")
@click.option("--customer", "customer_id", default=None, help="Holder's customer id.")
@click.option("--store", "store_id", default=None, help="Store that sold it.")
@click.option("--valid-days", type=int, default=None, help="Valid through N days from today.")
def voucher_issue(
    home: Path,
    as_json: bool,
    amount: int,
    price: int | None,
    customer_id: str | None,
    store_id: str | None,
    valid_days: int | None,
) -> None:
    """Issue (sell) a voucher."""
    body: dict[str, Any] = {"amount": amount}
    optional = {
        "price": price,
        "customer_id": customer_id,
        "store_id": store_id,
        "valid_days": valid_days,
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    print_result(client(home).post("vouchers", body), as_json, VOUCHER_KEYS)


@command(voucher, "show")
@click.argument("voucher_id")
def voucher_show(home: Path, as_json: bool, voucher_id: str) -> None:
    """Show a voucher and its history."""
    result = client(home).get(f"vouchers/{voucher_id}")
    print_result(result, as_json, (*VOUCHER_KEYS, "face", "price", "gifted_from", "can_gift"))
    if not as_json:
        print_table(result["history"], ("at", "kind", "amount", "txn_id"))


@command(voucher, "list")
@click.option("--customer", "customer_id", default=None)
def voucherprint_list(home: Path, as_json: bool, customer_id: str | None) -> None:
    """List vouchers, optionally of one customer."""
    result = client(home).get("vouchers", customer_id=customer_id)
    print_list(result, "vouchers", as_json, VOUCHER_KEYS)


@command(voucher, "qr")
@click.argument("voucher_id")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--svg", type=click.Path(dir_okay=False, path_type=Path), default=None)
def voucher_qr(
    home: Path, as_json: bool, voucher_id: str, png: Path | None, svg: Path | None
) -> None:
    """Print the payload the customer's QR code encodes now; optionally save it as PNG/SVG."""
    import segno

    result = client(home).get(f"vouchers/{voucher_id}/code")
    if png is not None or svg is not None:
        code = segno.make(result["payload"], error="m")
        if png is not None:
            code.save(str(png), scale=8, border=4)
        if svg is not None:
            code.save(str(svg), scale=8, border=4)
    print_result(result, as_json, ("payload", "manual_code", "valid_until"))


@command(voucher, "gift")
@click.argument("voucher_id")
@click.option("--to", "recipient", required=True, help="Recipient's customer id.")
@click.option("--amount", type=int, default=None, help="Part of the balance (default: all).")
def voucher_gift(
    home: Path, as_json: bool, voucher_id: str, recipient: str, amount: int | None
) -> None:
    """Gift a voucher (once); the gift expires six months later and can't be gifted again."""
    body: dict[str, Any] = {"to": recipient}
    if amount is not None:
        body["amount"] = amount
    print_result(client(home).post(f"vouchers/{voucher_id}/gift", body), as_json, VOUCHER_KEYS)


@command(voucher, "cancel-sale")
@click.argument("voucher_id")
def voucher_cancel_sale(home: Path, as_json: bool, voucher_id: str) -> None:
    """Cancel a voucher sold at a counter today (unused): refund its price the way it was paid."""
    result = client(home).post(f"vouchers/{voucher_id}/cancel-sale")
    print_result(
        result, as_json, ("voucher_id", "store_id", "price", "payment_method", "cancelled_at")
    )


@command(voucher, "expire")
def voucher_expire(home: Path, as_json: bool) -> None:
    """Expire every voucher past its date now (the node also does this periodically)."""
    print_result(client(home).post("vouchers/expire"), as_json)


REDEMPTION_KEYS = (
    "redemption_id",
    "voucher_id",
    "amount",
    "balance_after",
    "receipt_no",
    "issuer_name",
    "issuer",
    "claim_id",
    "status",
    "retried",
)


@command(main, "redeem")
@click.argument("payload")
@click.option("--amount", type=int, required=True, help="Amount in yen.")
@click.option("--store", "store_id", required=True, help="Store where it is used.")
def redeem_cmd(home: Path, as_json: bool, payload: str, amount: int, store_id: str) -> None:
    """Redeem a voucher from its QR payload or manual code."""
    result = client(home).post(
        "redemptions", {"payload": payload, "amount": amount, "store_id": store_id}
    )
    print_result(result, as_json, REDEMPTION_KEYS)


@main.group()
def redemption() -> None:
    """Redemptions (利用): list, show, void."""


@command(redemption, "void")
@click.argument("redemption_id")
def redemption_void(home: Path, as_json: bool, redemption_id: str) -> None:
    """Void a mistaken redemption; the amount goes back on the voucher."""
    result = client(home).post(f"redemptions/{redemption_id}/void")
    print_result(
        result,
        as_json,
        ("redemption_id", "voucher_id", "amount", "balance_after", "voided", "status"),
    )


@command(redemption, "list")
@click.option("--voucher", "voucher_id", default=None)
@click.option("--store", "store_id", default=None)
def redemptionprint_list(
    home: Path, as_json: bool, voucher_id: str | None, store_id: str | None
) -> None:
    """List redemptions."""
    result = client(home).get("redemptions", voucher_id=voucher_id, store_id=store_id)
    print_list(
        result,
        "redemptions",
        as_json,
        ("redemption_id", "receipt_no", "voucher_id", "store_id", "amount", "voided"),
    )


@main.group()
def ledger() -> None:
    """The double-entry journal."""


@command(ledger, "check")
def ledger_check(home: Path, as_json: bool) -> None:
    """Recompute the ledger's invariants; exit 1 if any fails."""
    result = client(home).get("ledger/check")
    print_result(result, as_json)
    if not result["ok"]:
        sys.exit(1)


@command(main, "demo")
@click.option(
    "--dir",
    "demo_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-homes"),
    show_default=True,
    help="Where the demo's node homes are left.",
)
def demo_cmd(home: Path, as_json: bool, demo_dir: Path) -> None:
    """Run a one-company scenario end to end on localhost and print what happened."""
    from node.demo import run_demo

    run_demo(demo_dir, echo=click.echo)


if __name__ == "__main__":
    main()
