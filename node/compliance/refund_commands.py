"""`kippu voucher refund` and the refund commands of `kippu compliance` (資金決済法20条): the
abolition, its claims and their payment, the refunds. Each calls the running node's admin API.

`add_refund_commands(compliance)` and `add_voucher_refund(voucher)` put them on the groups the
CLI defines (the `compliance` group is shared with the 基準日 report's commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from node.cli_support import client, command, print_list, print_result

REFUND_KEYS = ("refund_id", "voucher_id", "ground", "amount", "txn_id", "refunded_at")
CLAIM_KEYS = (
    "claim_id",
    "voucher_id",
    "amount",
    "bank_name",
    "branch_name",
    "account_number",
    "account_holder",
    "paid",
    "reference",
)


def add_voucher_refund(voucher: click.Group) -> None:
    @command(voucher, "refund")
    @click.argument("voucher_id")
    @click.option(
        "--ground",
        type=click.Choice(["small-amount", "unavoidable"]),
        default=None,
        help="The 府令's exception that allows it; without one the refund is refused (法20条).",
    )
    @click.option("--reason", default=None, help="Why (required for unavoidable).")
    def voucher_refund(
        home: Path, as_json: bool, voucher_id: str, ground: str | None, reason: str | None
    ) -> None:
        """Refund a voucher's balance: refused by law (資金決済法20条) unless a ground is given."""
        body: dict[str, Any] = {}
        if ground is not None:
            body["ground"] = ground.replace("-", "_")
        if reason is not None:
            body["reason"] = reason
        result = client(home).post(f"vouchers/{voucher_id}/refund", body)
        print_result(result, as_json, REFUND_KEYS)


def add_refund_commands(compliance: click.Group) -> None:
    @command(compliance, "abolish")
    @click.option("--notice-date", required=True, help="Public notice (公告) date, YYYY-MM-DD.")
    @click.option("--claim-until", required=True, help="Last claim day, >= notice + 60 days.")
    def abolish(home: Path, as_json: bool, notice_date: str, claim_until: str) -> None:
        """Announce the business abolition and open refund claims (資金決済法20条)."""
        body = {"notice_date": notice_date, "claim_until": claim_until}
        result = client(home).post("compliance/abolition", body)
        print_result(result, as_json, ("abolition_id", "notice_date", "claim_until", "closes_at"))

    @command(compliance, "abolition")
    def abolition(home: Path, as_json: bool) -> None:
        """The abolition's state: announced, open or closed, and its claims in figures."""
        result = client(home).get("compliance/abolition")
        print_result(result, as_json, ("state", "claims", "claimed", "paid", "unpaid"))

    @command(compliance, "claims")
    def claims(home: Path, as_json: bool) -> None:
        """The refund claims of the abolition, with the accounts to pay."""
        print_list(client(home).get("compliance/refund-claims"), "claims", as_json, CLAIM_KEYS)

    @command(compliance, "pay-claim")
    @click.argument("claim_id")
    @click.option("--reference", required=True, help="The bank transfer's reference.")
    def pay_claim(home: Path, as_json: bool, claim_id: str, reference: str) -> None:
        """Record a claim paid: books the refund and voids the voucher."""
        result = client(home).post(
            f"compliance/refund-claims/{claim_id}/pay", {"reference": reference}
        )
        print_result(result, as_json, CLAIM_KEYS)

    @command(compliance, "refunds")
    def refunds(home: Path, as_json: bool) -> None:
        """Refunds booked, and this 基準期間's small-amount limit and use."""
        result = client(home).get("compliance/refunds")
        print_result(
            result,
            as_json,
            ("period_start", "period_end", "small_amount_limit", "small_amount_refunded"),
        )
        if not as_json:
            print_list(result, "refunds", False, REFUND_KEYS)
