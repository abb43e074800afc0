"""`kippu settlement ...` and `kippu peer limit`: balances, claims, statements, pay, confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_list, print_result, print_table
from node.peering.commands import peer

STATEMENT_KEYS = (
    "statement_id",
    "peer_name",
    "number",
    "status",
    "cutoff",
    "owed_to_us",
    "owed_by_us",
    "payer",
    "amount",
    "we_are",
    "reference",
)
CLAIM_COLUMNS = ("claim_id", "role", "peer_name", "voucher_id", "amount", "status", "statement_id")


@click.group()
def settlement() -> None:
    """Receivables and payables with partners (売掛・買掛): claims, statements, payment."""


@command(settlement, "balances")
def balances(home: Path, as_json: bool) -> None:
    """Per partner: what it owes us (receivable), what we owe it (payable), net, pending."""
    result = client(home).get("settlement/balances")
    print_list(
        result,
        "balances",
        as_json,
        ("name", "peer", "receivable", "payable", "net", "pending", "max_receivable"),
    )


@command(settlement, "claims")
@click.option("--peer", "peer_id", default=None, help="Only claims with this partner.")
@click.option("--status", default=None, help="CLAIMED, ACCEPTED, REJECTED, VOIDED, INVOICED, ...")
@click.option("--role", type=click.Choice(["issuer", "redeemer"]), default=None)
def claims(
    home: Path, as_json: bool, peer_id: str | None, status: str | None, role: str | None
) -> None:
    """Redemptions between partners, newest first (issuer: our voucher at their store)."""
    result = client(home).get("settlement/claims", peer=peer_id, status=status, role=role)
    print_list(result, "claims", as_json, CLAIM_COLUMNS)


@command(settlement, "statement")
@click.option("--peer", "peer_id", required=True, help="The partner's node id.")
@click.option("--until", default=None, help="Cut-off, ISO 8601 with offset (default: now).")
def statement(home: Path, as_json: bool, peer_id: str, until: str | None) -> None:
    """Propose the next statement with a partner; it agrees when its records match."""
    body: dict[str, Any] = {"peer": peer_id}
    if until is not None:
        body["until"] = until
    _print_statement(client(home).post("settlement/statements", body), as_json)


@command(settlement, "statements")
@click.option("--peer", "peer_id", default=None)
def statements(home: Path, as_json: bool, peer_id: str | None) -> None:
    """Statements, newest first."""
    result = client(home).get("settlement/statements", peer=peer_id)
    print_list(
        result,
        "statements",
        as_json,
        ("statement_id", "peer_name", "number", "status", "payer", "amount", "we_are"),
    )


@command(settlement, "show")
@click.argument("statement_id")
def show(home: Path, as_json: bool, statement_id: str) -> None:
    """One statement with its claims and any breaks."""
    _print_statement(client(home).get(f"settlement/statements/{statement_id}"), as_json)


@command(settlement, "pay")
@click.argument("statement_id")
@click.option("--reference", required=True, help="The bank transfer's reference.")
def pay(home: Path, as_json: bool, statement_id: str, reference: str) -> None:
    """Record that we paid a statement's net amount (we are its payer)."""
    body = {"reference": reference}
    _print_statement(client(home).post(f"settlement/statements/{statement_id}/pay", body), as_json)


@command(settlement, "confirm")
@click.argument("statement_id")
def confirm(home: Path, as_json: bool, statement_id: str) -> None:
    """Confirm the partner's payment arrived; both sides clear the statement (消し込み)."""
    _print_statement(client(home).post(f"settlement/statements/{statement_id}/confirm"), as_json)


@command(settlement, "reconcile")
@click.option("--peer", "peer_id", required=True)
def reconcile(home: Path, as_json: bool, peer_id: str) -> None:
    """List the breaks with a partner and how each was resolved; marks the rest DISPUTED."""
    result = client(home).post("settlement/reconcile", {"peer": peer_id})
    if as_json:
        print_result(result, as_json)
        return
    print_result(result, False, ("peer", "claims_in_flight", "open_statement", "disputed_claims"))
    print_table(result["breaks"], ("statement_id", "item", "kind", "ours", "theirs", "resolution"))


@command(settlement, "resolve")
@click.argument("claim_id")
@click.option("--peer", "peer_id", default=None, help="The partner (if two used that claim id).")
def resolve(home: Path, as_json: bool, claim_id: str, peer_id: str | None) -> None:
    """Put a DISPUTED claim back into the next statement, once both admins agreed on it."""
    body = {} if peer_id is None else {"peer": peer_id}
    result = client(home).post(f"settlement/claims/{claim_id}/resolve", body)
    print_result(result, as_json, ("claim_id", "peer_name", "role", "amount", "status"))


def _print_statement(result: dict[str, Any], as_json: bool) -> None:
    print_result(result, as_json, STATEMENT_KEYS)
    if not as_json:
        if result["breaks"]:
            print_table(result["breaks"], ("item", "kind", "ours", "theirs"))
        print_table(result["claims"], ("claim_id", "issuer", "amount"))


@command(peer, "limit")
@click.argument("node_id")
@click.option("--max-receivable", type=click.IntRange(min=0), default=None, help="Yen.")
@click.option("--no-limit", is_flag=True, help="Remove the limit.")
def peer_limit(
    home: Path, as_json: bool, node_id: str, max_receivable: int | None, no_limit: bool
) -> None:
    """Stop accepting a partner's vouchers while it owes us more than this (net, with pending)."""
    if (max_receivable is None) != no_limit:
        raise click.UsageError("Give either --max-receivable N or --no-limit.")
    result = client(home).post(f"peers/{node_id}/limit", {"max_receivable": max_receivable})
    print_result(result, as_json, ("name", "peer", "max_receivable", "net", "pending"))
