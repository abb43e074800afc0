"""The `kippu` command: parses arguments, calls the running node's admin API, prints the answer.

Exit status: 0 success, 1 refused (one-line reason on stderr), 2 usage error.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from node.admin_client import AdminClient, ApiRefused
from node.config import parse_listen
from node.errors import KippuError
from node.home import NodeHome, init_home

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_HOME = Path.home() / ".kippu"


def _home_option(func: F) -> F:
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KIPPU_HOME",
        default=DEFAULT_HOME,
        show_default="$KIPPU_HOME or ~/.kippu",
        help="The node's home directory.",
    )(func)


def _json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(
        func
    )


def command(group: click.Group, name: str, **kwargs: Any) -> Callable[[F], F]:
    """A subcommand with --home and --json whose KippuErrors become exit status 1."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kw: Any) -> Any:
            try:
                return func(*args, **kw)
            except ApiRefused as exc:
                _fail(exc.refused_code, exc.message, kw.get("as_json", False))
            except KippuError as exc:
                _fail(exc.code, exc.message, kw.get("as_json", False))

        decorated = _home_option(_json_option(wrapper))
        group.command(name, **kwargs)(decorated)
        return func

    return decorate


def _fail(code: str, message: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"error": {"code": code, "message": message}}), err=True)
    else:
        click.echo(f"error: {message} [{code}]", err=True)
    sys.exit(1)


def _print(result: dict[str, Any], as_json: bool, keys: tuple[str, ...] | None = None) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key in keys or tuple(result):
        if key in result and not isinstance(result[key], list | dict):
            click.echo(f"{key}: {result[key]}")


def _print_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    if not rows:
        click.echo("(none)")
        return
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        cells = (str(row.get(c, "")) for c in columns)
        click.echo("  ".join(v.ljust(w) for v, w in zip(cells, widths, strict=True)))


def _list(result: dict[str, Any], key: str, as_json: bool, columns: tuple[str, ...]) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        _print_table(result[key], columns)


def _client(home: Path) -> AdminClient:
    return AdminClient.for_home(NodeHome(home))


@click.group()
@click.version_option(package_name="kippu")
def main() -> None:
    """Kippu: your company's digital vouchers (デジタル商品券), run from your own node."""


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
    _print(
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
def serve_cmd(home: Path, as_json: bool) -> None:
    """Run the node until interrupted (Ctrl-C or SIGTERM)."""
    from node.server import serve

    logging.basicConfig(
        level=os.environ.get("KIPPU_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    asyncio.run(serve(NodeHome(home)))


@command(main, "status")
def status_cmd(home: Path, as_json: bool) -> None:
    """Show the running node's name, id and fingerprint."""
    _print(_client(home).get("status"), as_json)


@main.group()
def store() -> None:
    """Stores (店舗) where vouchers are sold and redeemed."""


@command(store, "add")
@click.argument("name")
def store_add(home: Path, as_json: bool, name: str) -> None:
    """Add a store."""
    _print(_client(home).post("stores", {"name": name}), as_json, ("store_id", "name"))


@command(store, "list")
def store_list(home: Path, as_json: bool) -> None:
    """List stores."""
    _list(_client(home).get("stores"), "stores", as_json, ("store_id", "name", "created_at"))


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
    _print(_client(home).post("customers", body), as_json)


@command(customer, "list")
def customer_list(home: Path, as_json: bool) -> None:
    """List customers."""
    _list(_client(home).get("customers"), "customers", as_json, ("customer_id", "name", "email"))


@main.group()
def voucher() -> None:
    """Vouchers (商品券): issue, show, QR code, gift, expire."""


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
    _print(_client(home).post("vouchers", body), as_json, VOUCHER_KEYS)


@command(voucher, "show")
@click.argument("voucher_id")
def voucher_show(home: Path, as_json: bool, voucher_id: str) -> None:
    """Show a voucher and its history."""
    result = _client(home).get(f"vouchers/{voucher_id}")
    _print(result, as_json, (*VOUCHER_KEYS, "face", "price", "gifted_from", "can_gift"))
    if not as_json:
        _print_table(result["history"], ("at", "kind", "amount", "txn_id"))


@command(voucher, "list")
@click.option("--customer", "customer_id", default=None)
def voucher_list(home: Path, as_json: bool, customer_id: str | None) -> None:
    """List vouchers, optionally of one customer."""
    result = _client(home).get("vouchers", customer_id=customer_id)
    _list(result, "vouchers", as_json, VOUCHER_KEYS)


@command(voucher, "qr")
@click.argument("voucher_id")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--svg", type=click.Path(dir_okay=False, path_type=Path), default=None)
def voucher_qr(
    home: Path, as_json: bool, voucher_id: str, png: Path | None, svg: Path | None
) -> None:
    """Print the payload the customer's QR code encodes now; optionally save it as PNG/SVG."""
    import segno

    result = _client(home).get(f"vouchers/{voucher_id}/code")
    if png is not None or svg is not None:
        code = segno.make(result["payload"], error="m")
        if png is not None:
            code.save(str(png), scale=8, border=4)
        if svg is not None:
            code.save(str(svg), scale=8, border=4)
    _print(result, as_json, ("payload", "manual_code", "valid_until"))


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
    _print(_client(home).post(f"vouchers/{voucher_id}/gift", body), as_json, VOUCHER_KEYS)


@command(voucher, "expire")
def voucher_expire(home: Path, as_json: bool) -> None:
    """Expire every voucher past its date now (the node also does this periodically)."""
    _print(_client(home).post("vouchers/expire"), as_json)


@command(main, "redeem")
@click.argument("payload")
@click.option("--amount", type=int, required=True, help="Amount in yen.")
@click.option("--store", "store_id", required=True, help="Store where it is used.")
def redeem_cmd(home: Path, as_json: bool, payload: str, amount: int, store_id: str) -> None:
    """Redeem a voucher from its QR payload or manual code."""
    result = _client(home).post(
        "redemptions", {"payload": payload, "amount": amount, "store_id": store_id}
    )
    _print(
        result, as_json, ("redemption_id", "voucher_id", "amount", "balance_after", "receipt_no")
    )


@main.group()
def redemption() -> None:
    """Redemptions (利用): list, show, void."""


@command(redemption, "void")
@click.argument("redemption_id")
def redemption_void(home: Path, as_json: bool, redemption_id: str) -> None:
    """Void a mistaken redemption; the amount goes back on the voucher."""
    result = _client(home).post(f"redemptions/{redemption_id}/void")
    _print(result, as_json, ("redemption_id", "voucher_id", "amount", "balance_after", "voided"))


@command(redemption, "list")
@click.option("--voucher", "voucher_id", default=None)
@click.option("--store", "store_id", default=None)
def redemption_list(
    home: Path, as_json: bool, voucher_id: str | None, store_id: str | None
) -> None:
    """List redemptions."""
    result = _client(home).get("redemptions", voucher_id=voucher_id, store_id=store_id)
    _list(
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
    result = _client(home).get("ledger/check")
    _print(result, as_json)
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
