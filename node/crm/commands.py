"""`kippu segment`, `kippu analytics` and `kippu customer consent|erase`, through the running
node's admin API (node/crm/api.py, node/crm/analytics_api.py). The customer commands join the
`customer` group in cli.py; `kippu mail` is in mail_commands.py."""

from __future__ import annotations

import urllib.parse
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from node.admin_client import REPORT_TIMEOUT_S, AdminClient
from node.cli_support import client, command, print_list, print_result, print_table


def report_client(home: Path) -> AdminClient:
    """The analytics and segment counts read a whole company: they may take minutes."""
    return replace(client(home), timeout_s=REPORT_TIMEOUT_S)


RFM_CLASSES = ("champions", "new", "loyal", "promising", "at_risk", "dormant", "needs_attention")
PERIOD_SHOWN = ("as_of", "window_days", "window_from")


@click.group()
def segment() -> None:
    """Segments: saved filters over customers, with live counts (セグメント)."""


@click.group()
def analytics() -> None:
    """Customer analytics as of a stated day: RFM, 80:20, LTV, KPIs, cohorts (顧客分析)."""


@click.group()
def _customer_commands() -> None:
    """Holds `consent` until cli.py adds it to `kippu customer`."""


@command(_customer_commands, "consent")
@click.argument("customer_id")
@click.option(
    "--marketing",
    type=click.Choice(["yes", "no"]),
    required=True,
    help="yes: the customer consented to marketing mail; no: they refused it.",
)
@click.option("--wording", default=None, help="What the customer was shown or signed, verbatim.")
def customer_consent(
    home: Path, as_json: bool, customer_id: str, marketing: str, wording: str | None
) -> None:
    """Record a customer's consent to marketing mail, or its withdrawal (特定電子メール法)."""
    body: dict[str, Any] = {"marketing": marketing == "yes", "via": "cli"}
    if wording is not None:
        body["wording"] = wording
    path = f"customers/{urllib.parse.quote(customer_id, safe='')}/consent"
    print_result(
        client(home).post(path, body), as_json, ("customer_id", "marketing", "recorded_at")
    )


@command(_customer_commands, "erase")
@click.argument("customer_id")
@click.option("--reason", required=True, help="Whose request it was, and how it came.")
def customer_erase(home: Path, as_json: bool, customer_id: str, reason: str) -> None:
    """Erase a customer's personal data on their request (個人情報保護法); the books stay."""
    path = f"customers/{urllib.parse.quote(customer_id, safe='')}/erase"
    print_result(client(home).post(path, {"reason": reason, "via": "cli"}), as_json)


def _filters(options: dict[str, Any]) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for name, value in options.items():
        if value is None or value == ():
            continue
        filters[name] = list(value) if isinstance(value, tuple) else value
    return filters


@command(segment, "create")
@click.option("--name", required=True, help="The segment's name (unique).")
@click.option("--active-voucher/--no-active-voucher", "has_active_voucher", default=None)
@click.option("--balance-min", type=int, default=None, help="Active vouchers' balance, yen.")
@click.option("--balance-max", type=int, default=None)
@click.option("--rank", default=None, help="Member rank's name.")
@click.option("--rfm-class", type=click.Choice(RFM_CLASSES), default=None)
@click.option("--last-visit-before", default=None, help="YYYY-MM-DD")
@click.option("--last-visit-after", default=None, help="YYYY-MM-DD")
@click.option("--store", "stores_visited", multiple=True, help="Visited this store (repeatable).")
@click.option("--spend-min", type=int, default=None, help="Spend in the window, yen.")
@click.option("--spend-max", type=int, default=None)
@click.option("--spend-from", default=None, help="First day of the spend window, YYYY-MM-DD.")
@click.option("--spend-to", default=None, help="Last day of the spend window, YYYY-MM-DD.")
@click.option("--birthday-month", type=int, default=None, help="1-12")
@click.option("--points-expiring-within", "points_expiring_within_days", type=int, default=None)
@click.option("--consent/--no-consent", "marketing_consent", default=None)
@click.option("--tag", default=None)
def segment_create(home: Path, as_json: bool, name: str, **options: Any) -> None:
    """Save a segment; every filter given must hold."""
    result = report_client(home).post("segments", {"name": name, "filters": _filters(options)})
    print_result(result, as_json, ("name", "customers"))


@command(segment, "list")
def segment_list(home: Path, as_json: bool) -> None:
    """Every segment with its live count, the built-in `all` first."""
    print_list(report_client(home).get("segments"), "segments", as_json, ("name", "customers"))


@command(segment, "delete")
@click.argument("name")
def segment_delete(home: Path, as_json: bool, name: str) -> None:
    """Delete a saved segment."""
    path = f"segments/{urllib.parse.quote(name, safe='')}"
    print_result(client(home).request("DELETE", path), as_json)


def _as_of_option(func: Any) -> Any:
    return click.option(
        "--as-of", default=None, help="The stated local day, YYYY-MM-DD (default: today)."
    )(func)


def _window_option(func: Any) -> Any:
    return click.option(
        "--window-days", default=None, help="The window's length in days (default: 365)."
    )(func)


@command(analytics, "rfm")
@_as_of_option
@_window_option
@click.option("--limit", default=None, help="Customers' rows to show (default 100, at most 1000).")
def analytics_rfm(
    home: Path, as_json: bool, as_of: str | None, window_days: str | None, limit: str | None
) -> None:
    """RFM scores in quintiles and the customers in each named class."""
    result = report_client(home).get(
        "analytics/rfm", as_of=as_of, window_days=window_days, limit=limit
    )
    print_result(result, as_json, (*PERIOD_SHOWN, "customers"))
    if not as_json:
        print_table(result["classes"], ("class", "name_ja", "customers"))


@command(analytics, "pareto")
@_as_of_option
@_window_option
def analytics_pareto(home: Path, as_json: bool, as_of: str | None, window_days: str | None) -> None:
    """80:20: the share of the window's spend made by the top 20 % of paying customers."""
    result = report_client(home).get("analytics/pareto", as_of=as_of, window_days=window_days)
    print_result(
        result,
        as_json,
        (*PERIOD_SHOWN, "customers", "total_yen", "top20_customers", "top20_yen", "top20_share"),
    )


@command(analytics, "ltv")
@_as_of_option
@click.option("--margin", default=None, help="Gross margin in percent (default [crm]).")
def analytics_ltv(home: Path, as_json: bool, as_of: str | None, margin: str | None) -> None:
    """Historic LTV (gross profit per customer), overall and by month of acquisition."""
    result = report_client(home).get("analytics/ltv", as_of=as_of, margin_percent=margin)
    print_result(result, as_json)
    if not as_json:
        print_table(
            result["months"],
            ("month", "customers", "spend_yen", "gross_profit_yen", "average_ltv_yen"),
        )


@command(analytics, "kpi")
@_as_of_option
@_window_option
def analytics_kpi(home: Path, as_json: bool, as_of: str | None, window_days: str | None) -> None:
    """Members, active members, repeat rate, average spend, voucher liability, per store."""
    result = report_client(home).get("analytics/kpi", as_of=as_of, window_days=window_days)
    print_result(result, as_json)
    if not as_json:
        print_table(result["stores"], ("store_id", "name", "spend_yen", "payments", "visits"))


@command(analytics, "cohorts")
@_as_of_option
def analytics_cohorts(home: Path, as_json: bool, as_of: str | None) -> None:
    """Retention by month of first payment, the last twelve months."""
    result = report_client(home).get("analytics/cohorts", as_of=as_of)
    print_result(result, as_json, ("as_of",))
    if not as_json:
        for cohort in result["cohorts"]:
            shares = " ".join(f"{s:.0%}" for s in cohort["shares"])
            click.echo(f"{cohort['month']} ({cohort['customers']}): {shares}")


CUSTOMER_COMMANDS = tuple(_customer_commands.commands.values())
