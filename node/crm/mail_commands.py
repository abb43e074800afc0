"""`kippu mail`: campaign mail to a segment through the running node's admin API
(node/crm/mail_api.py, node/web/crm_mail_api.py): preview, test, send (with an offer), status,
list, cancel."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from node.cli_support import client, command, print_list, print_result, print_table

MAIL_SHOWN = ("mail_id", "segment", "status", "send_at", "per_minute", "started_at", "finished_at")
F = TypeVar("F", bound=Callable[..., Any])


@click.group()
def mail() -> None:
    """Campaign mail to a segment's consenting customers (キャンペーンメール, 特定電子メール法)."""


def draft_options(function: F) -> F:
    """The options every command that reads a mail takes: what it says, to whom, its offer."""
    options = (
        click.option("--segment", required=True, help="The segment's name (`all`: everyone)."),
        click.option("--subject", required=True, help="The subject; may name {name}, ..."),
        click.option(
            "--body-file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            required=True,
            help="The body, UTF-8 text; may name {name}, {balance}, {rank}, {points},"
            " {expiring_points}.",
        ),
        click.option(
            "--at", "send_at", default=None, help="When to send, e.g. 2027-02-01T10:00:00+09:00."
        ),
        click.option(
            "--offer-yen",
            type=int,
            default=None,
            help="Give each recipient a coupon of so many yen.",
        ),
        click.option(
            "--offer-until", default=None, help="The coupon's last day of use (YYYY-MM-DD)."
        ),
        click.option(
            "--offer-store",
            "offer_stores",
            multiple=True,
            help="A store taking the coupon (repeat; none: every store).",
        ),
    )
    for option in reversed(options):
        function = option(function)
    return function


def draft_body(
    segment: str,
    subject: str,
    body_file: Path,
    send_at: str | None,
    offer_yen: int | None,
    offer_until: str | None,
    offer_stores: tuple[str, ...],
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "segment": segment,
        "subject": subject,
        "body": body_file.read_text(encoding="utf-8"),
    }
    if send_at is not None:
        body["send_at"] = send_at
    if offer_yen is not None or offer_until is not None or offer_stores:
        if offer_yen is None or offer_until is None:
            raise click.UsageError("An offer needs both --offer-yen and --offer-until.")
        body["offer"] = {"face_yen": offer_yen, "use_until": offer_until}
        if offer_stores:
            body["offer"]["stores"] = list(offer_stores)
    return body


@command(mail, "send")
@draft_options
@click.option("--per-minute", type=int, default=None, help="At most so many mails a minute (60).")
def mail_send(home: Path, as_json: bool, per_minute: int | None, **draft: Any) -> None:
    """Mail a segment: only customers who consented receive it; sent now or at --at. With
    --offer-yen and --offer-until each recipient is given a coupon before their mail goes."""
    body = draft_body(**draft)
    if per_minute is not None:
        body["per_minute"] = per_minute
    print_result(client(home).post("mail", body), as_json, MAIL_SHOWN)


@command(mail, "preview")
@draft_options
@click.option("--customer", "customer_id", default=None, help="Fill it in for this customer.")
def mail_preview(home: Path, as_json: bool, customer_id: str | None, **draft: Any) -> None:
    """Who a mail to the segment would reach now, and the message as one of them reads it
    (nothing is sent or recorded)."""
    body = draft_body(**draft)
    if customer_id is not None:
        body["customer_id"] = customer_id
    result = client(home).post("mail/drafts/preview", body)
    print_result(result, as_json, ("members", "without_address", "not_consenting", "recipients"))
    if not as_json:
        sample = result["sample"]
        click.echo(f"To: {sample['to']}\nSubject: {sample['subject']}\n\n{sample['text']}")


@command(mail, "test")
@draft_options
@click.option("--to", required=True, help="The address to send the test to.")
@click.option("--customer", "customer_id", default=None, help="Fill it in for this customer.")
def mail_test(home: Path, as_json: bool, to: str, customer_id: str | None, **draft: Any) -> None:
    """Send the mail as a recipient would get it, marked as a test, to --to (no coupon is
    given, nothing is recorded)."""
    body = draft_body(**draft) | {"to": to}
    if customer_id is not None:
        body["customer_id"] = customer_id
    print_result(client(home).post("mail/drafts/test", body), as_json, ("to", "subject"))


@command(mail, "status")
@click.argument("mail_id")
def mail_status(home: Path, as_json: bool, mail_id: str) -> None:
    """A mail's status: how many were sent, failed or skipped, each recipient's, and how its
    coupons were used."""
    result = client(home).get(f"mail/{urllib.parse.quote(mail_id, safe='')}")
    print_result(result, as_json, (*MAIL_SHOWN, "recipients"))
    if not as_json:
        click.echo("  ".join(f"{k}: {v}" for k, v in result["counts"].items()))
        offer = result["offer"]
        if offer is not None:
            coupons = result["coupons"]
            click.echo(
                f"offer: {offer['face_yen']} yen until {offer['use_until']};"
                f" coupons issued {coupons['issued']}, used {coupons['used']}"
                f" ({coupons['used_yen']} yen)"
            )
        print_table(result["recipient_rows"], ("customer_id", "address", "status", "reason"))


@command(mail, "list")
def mail_list(home: Path, as_json: bool) -> None:
    """Campaign mail, newest first."""
    print_list(
        client(home).get("mail"), "mail", as_json, ("mail_id", "segment", "status", "send_at")
    )


@command(mail, "cancel")
@click.argument("mail_id")
def mail_cancel(home: Path, as_json: bool, mail_id: str) -> None:
    """Cancel a mail that has not started."""
    path = f"mail/{urllib.parse.quote(mail_id, safe='')}/cancel"
    print_result(client(home).post(path), as_json, MAIL_SHOWN)
