"""`kippu store bank STORE_ID ...`: the bank account a store is paid to, through the running
node's admin API (node/campaigns/bank_api.py); `kippu store poster STORE_ID --out FILE`, its
A4 QR poster (node/web/store_poster_api.py); `kippu store applications`, `approve ID` and
`reject ID --reason R`, the office's review of store applications, as the console does it
(node/web/store_applications_api.py). cli.py adds COMMANDS to its `store` group."""

from __future__ import annotations

from pathlib import Path

import click

from node.cli_support import client, command, print_list, print_result

BANK_SHOWN = (
    "store_id",
    "bank_code",
    "bank_name",
    "branch_code",
    "branch_name",
    "account_type",
    "account_number",
    "holder_kana",
)

_commands = click.Group()  # only to hold the commands until cli.py adds them to `store`


@command(_commands, "bank")
@click.argument("store_id")
@click.option("--bank", "bank_code", required=True, help="The bank's 4-digit code (0001).")
@click.option("--branch", "branch_code", required=True, help="The branch's 3-digit code (001).")
@click.option(
    "--type",
    "account_type",
    type=click.Choice(["ordinary", "current", "savings"]),
    required=True,
    help="普通 ordinary, 当座 current, 貯蓄 savings.",
)
@click.option("--number", "account_number", required=True, help="Up to 7 digits.")
@click.option("--holder", required=True, help="The holder in katakana, as on the passbook.")
def store_bank(
    home: Path,
    as_json: bool,
    store_id: str,
    bank_code: str,
    branch_code: str,
    account_type: str,
    account_number: str,
    holder: str,
) -> None:
    """Record the bank account a store is paid to (振込先口座); it replaces the one on record.
    The codes are checked against the bank-code list and the holder written in half-width
    katakana (株式会社 as ｶ)); kanji are refused."""
    body = {
        "bank_code": bank_code,
        "branch_code": branch_code,
        "account_type": account_type,
        "account_number": account_number,
        "holder_kana": holder,
    }
    print_result(client(home).request("PUT", f"stores/{store_id}/bank", body), as_json, BANK_SHOWN)


# -- the A4 QR poster (wt/stores): GET /api/v1/campaign-stores/{store_id}/poster.pdf ----------


@command(_commands, "poster")
@click.argument("store_id")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF (A4, one page).",
)
def store_poster(home: Path, as_json: bool, store_id: str, out: Path) -> None:
    """A participating store's A4 QR poster: its name, the office's, the QR residents scan to
    pay and the store code printed (the store is given a code now if it has none)."""
    size = client(home).download(f"campaign-stores/{store_id}/poster.pdf", out)
    print_result({"store_id": store_id, "file": str(out), "bytes": size}, as_json)


# -- store applications (polish): /api/v1/store-applications ------------------------------------

APPLICATION_COLUMNS = ("application_id", "status", "name", "category", "wants_local", "applied_at")
APPROVAL_SHOWN = ("application_id", "status", "name", "store_id", "store_code", "mailed")
REJECTION_SHOWN = ("application_id", "status", "name", "reason", "mailed")


@command(_commands, "applications")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected"]),
    help="Only applications of this status (all when not given).",
)
def store_applications(home: Path, as_json: bool, status: str | None) -> None:
    """The stores' applications to take part (加盟店申込), newest first."""
    answer = client(home).get("store-applications", status=status)
    print_list(answer, "applications", as_json, APPLICATION_COLUMNS)


@command(_commands, "approve")
@click.argument("application_id")
def store_approve(home: Path, as_json: bool, application_id: str) -> None:
    """Approve a pending application: the store is made (a small local shop when it asked), its
    bank account recorded, its store code given, and the applicant mailed the code."""
    answer = client(home).post(f"store-applications/{application_id}/approve")
    print_result(answer, as_json, APPROVAL_SHOWN)


@command(_commands, "reject")
@click.argument("application_id")
@click.option("--reason", required=True, help="Why, as the applicant reads it in the mail.")
def store_reject(home: Path, as_json: bool, application_id: str, reason: str) -> None:
    """Reject a pending application with a reason; the applicant is mailed it."""
    answer = client(home).post(f"store-applications/{application_id}/reject", {"reason": reason})
    print_result(answer, as_json, REJECTION_SHOWN)


COMMANDS = tuple(
    _commands.commands[name] for name in ("bank", "poster", "applications", "approve", "reject")
)
