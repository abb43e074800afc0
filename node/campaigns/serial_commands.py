"""`kippu campaign serials CAMPAIGN_ID --count N --out FILE`: a batch of serial codes drawn by the
running node (node/campaigns/eligibility_api.py) and written to a CSV for the printer.

The node keeps only the codes' hashes, so this file is the one copy of the plain codes: it is
created (never overwritten: an earlier batch's file is as irreplaceable) before the node is
asked, readable by its owner only, and the command prints the counts, never the codes.
`kippu campaign` is node/campaigns/commands.py's group; cli.py adds this command to it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from node.campaigns.serials import printing_csv
from node.cli_support import client, command, print_result

SHOWN = ("campaign_id", "count", "out", "printed", "used")


@click.group()
def _eligibility() -> None:
    """Eligibility's commands, added to `kippu campaign` by cli.py."""


@command(_eligibility, "serials")
@click.argument("campaign_id")
@click.option("--count", type=click.IntRange(1, 100_000), required=True, help="Codes to draw.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The CSV to create for the printer (serial, campaign); never overwritten.",
)
def serials(home: Path, as_json: bool, campaign_id: str, count: int, out: Path) -> None:
    """Draw COUNT serial codes for CAMPAIGN_ID and write them to --out, once: the node keeps
    only their hashes."""
    try:
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise click.BadParameter(f"{out} exists; choose a new file", param_hint="--out") from None
    except OSError as exc:
        raise click.BadParameter(f"{out}: {exc.strerror}", param_hint="--out") from None
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
        try:
            answer = client(home).post(f"campaigns/{campaign_id}/serials", {"count": count})
        except BaseException:
            out.unlink(missing_ok=True)  # nothing was drawn: no file pretends otherwise
            raise
        handle.write(printing_csv(campaign_id, answer["serials"]))
        handle.flush()
        os.fsync(handle.fileno())
    result = {key: answer[key] for key in ("campaign_id", "count", "printed", "used")}
    print_result({**result, "out": str(out)}, as_json, SHOWN)


COMMANDS = tuple(_eligibility.commands.values())
