"""`kippu staff ...` and `kippu admin passwd`: web accounts, through the running node's admin API."""

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
