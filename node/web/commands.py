"""`kippu staff ...`, `kippu admin passwd` and `kippu apikey ...`: web accounts and integration
keys, through the running node's admin API."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from node.cli_support import client, command, print_list, print_result


def _read_password(from_stdin: bool) -> str:
    """From standard input (one line, for scripts) or asked twice at the terminal, never echoed."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    entered: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return entered


stdin_option = click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (one line)."
)


@click.group()
def staff() -> None:
    """Store staff accounts (店員) for the counter page /staff."""


@command(staff, "add")
@click.option("--store", "stores", multiple=True, required=True, help="Store id (repeatable).")
@click.option("--name", required=True, help="The staff member's name; it is also the login name.")
@stdin_option
def staff_add(
    home: Path, as_json: bool, stores: tuple[str, ...], name: str, password_stdin: bool
) -> None:
    """Add a staff member who may redeem and sell at the given stores."""
    password = _read_password(password_stdin)
    result = client(home).post(
        "staff", {"name": name, "stores": list(stores), "password": password}
    )
    print_result(result, as_json, ("account_id", "name"))
    if not as_json:
        click.echo(f"stores: {' '.join(result['stores'])}")


@command(staff, "list")
def staff_list(home: Path, as_json: bool) -> None:
    """List staff accounts and their stores."""
    result = client(home).get("staff")
    for row in result["staff"]:
        row["stores"] = " ".join(row["stores"])
    print_list(result, "staff", as_json, ("account_id", "name", "stores", "disabled"))


@click.group()
def admin() -> None:
    """The head-office account (本部) for the console /admin."""


@command(admin, "passwd")
@stdin_option
def admin_passwd(home: Path, as_json: bool, password_stdin: bool) -> None:
    """Set the admin password (creates the account `admin` the first time); signs out its sessions."""
    password = _read_password(password_stdin)
    result = client(home).request("PUT", "admin/password", {"password": password})
    print_result(result, as_json, ("login", "created"))


@click.group()
def apikey() -> None:
    """Integration keys for POS and EC systems, sent as `Authorization: Bearer KEY`."""


@command(apikey, "create")
@click.option("--name", required=True, help="A name that says which system holds the key.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write"]),
    default="write",
    show_default=True,
    help="read: GETs only; write: also issue, gift, redeem and void.",
)
def apikey_create(home: Path, as_json: bool, name: str, scope: str) -> None:
    """Make a key; it is printed this once (only its hash is kept), so store it now."""
    result = client(home).post("apikeys", {"name": name, "scope": scope})
    print_result(result, as_json, ("key_id", "name", "scope", "key"))
    if not as_json:
        click.echo("The key is shown only this once: copy it into the POS now.", err=True)


@command(apikey, "list")
def apikey_list(home: Path, as_json: bool) -> None:
    """List integration keys, in use and revoked, with when each was last used (never the keys)."""
    result = client(home).get("apikeys")
    for row in [] if as_json else result["apikeys"]:  # JSON keeps null
        row["last_used_at"] = row["last_used_at"] or "never"
        row["revoked_at"] = row["revoked_at"] or "-"
    columns = ("name", "scope", "prefix", "created_at", "last_used_at", "revoked_at")
    print_list(result, "apikeys", as_json, columns)


@command(apikey, "revoke")
@click.argument("name")
def apikey_revoke(home: Path, as_json: bool, name: str) -> None:
    """Revoke the key in use named NAME: the node refuses it from its next request on."""
    result = client(home).post("apikeys/revoke", {"name": name})
    print_result(result, as_json, ("key_id", "name", "revoked_at"))
