"""`kippu campaign lottery-secret|lottery-setup|lottery|apply|close-entries|draw|claim|
export-draw|verify-draw|survey-set|survey|answer|answers`: the gates of lottery and survey
campaigns, through the running node's admin API (node/campaigns/lottery_api.py, survey_api.py).

Two need no node: `lottery-secret` makes the office's secret and its commitment on this machine,
and `verify-draw FILE` recomputes a draw from its published file (node/campaigns/draw.py), exit 0
when everything matches, 1 naming what differs, 2 when the file is no draw file.
cli.py adds COMMANDS to the `campaign` group."""

from __future__ import annotations

import hashlib
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import click

from node.campaigns.draw import DrawFileInvalid, differences
from node.campaigns.gate_model import SeedMode
from node.cli_support import client, command, json_option, print_result

LOTTERY_SHOWN = (
    "campaign_id",
    "seed_mode",
    "commitment",
    "beacon_name",
    "beacon_round",
    "entries_until",
    "claim_days",
    "entries_closed_at",
    "entry_count",
    "entries_hash",
)
ROUND_SHOWN = ("round", "entry_count", "asked", "seed", "beacon_round", "claim_until", "winners")
GRANT_SHOWN = ("grant_id", "voucher_id", "face_yen", "seq")
_holder = click.Group()


def _base(campaign_id: str) -> str:
    return f"campaigns/{campaign_id}"


@click.command("lottery-secret")
@json_option
def lottery_secret(as_json: bool) -> None:
    """Make the office's secret for a lottery's draw, here, with no node: publish the commitment
    at set-up (lottery-setup --commitment), keep the secret offline until the draw."""
    secret = secrets.token_bytes(32)
    answer = {"secret": secret.hex(), "commitment": hashlib.sha256(secret).hexdigest()}
    print_result(answer, as_json, ("secret", "commitment"))


@command(_holder, "lottery-setup")
@click.argument("campaign_id")
@click.option("--seed", "seed_mode", type=click.Choice([m.value for m in SeedMode]), required=True)
@click.option("--entries-until", required=True, help="Applications end (ISO 8601 with offset).")
@click.option("--claim-days", type=int, required=True, help="Days a winner has to claim.")
@click.option("--commitment", help="SHA-256 of the office's secret, hex (--seed secret).")
@click.option("--beacon-name", help="The beacon, e.g. 'drand quicknet' (--seed beacon).")
@click.option("--beacon-round", type=int, help="The beacon round announced for the draw.")
def lottery_setup(home: Path, as_json: bool, campaign_id: str, **rest: Any) -> None:
    """Set up a lottery campaign's draw (once): the seed's source, end of applications."""
    body = {key: value for key, value in rest.items() if value is not None}
    answer = client(home).request("PUT", f"{_base(campaign_id)}/lottery", body)
    print_result(answer, as_json, LOTTERY_SHOWN)


@command(_holder, "lottery")
@click.argument("campaign_id")
def lottery_status(home: Path, as_json: bool, campaign_id: str) -> None:
    """A lottery's set-up, entries, rounds, winners and claims."""
    answer = client(home).get(f"{_base(campaign_id)}/lottery")
    print_result(answer, as_json, (*LOTTERY_SHOWN, "entries", "winners", "claimed", "to_draw"))


@command(_holder, "apply")
@click.argument("campaign_id")
@click.option("--customer", "customer_id", required=True)
def apply(home: Path, as_json: bool, campaign_id: str, customer_id: str) -> None:
    """Apply to a lottery for a resident (one application per person)."""
    answer = client(home).post(
        f"{_base(campaign_id)}/lottery/entries", {"customer_id": customer_id}
    )
    print_result(answer, as_json, ("entry_id", "customer_id"))


@command(_holder, "close-entries")
@click.argument("campaign_id")
def close_entries(home: Path, as_json: bool, campaign_id: str) -> None:
    """Close a lottery's entries after its application period; prints the entries hash."""
    answer = client(home).post(f"{_base(campaign_id)}/lottery/close")
    print_result(answer, as_json, LOTTERY_SHOWN)


@command(_holder, "draw")
@click.argument("campaign_id")
@click.option("--secret", help="The office's secret, hex (a secret lottery).")
@click.option("--beacon-round", type=int, help="The beacon round used (a beacon lottery).")
@click.option("--beacon-value", help="That round's randomness, hex (a beacon lottery).")
def draw(home: Path, as_json: bool, campaign_id: str, **rest: Any) -> None:
    """Draw the next round (round 1; then, after the claim deadline, the wins left unclaimed)."""
    body = {key: value for key, value in rest.items() if value is not None}
    answer = client(home).post(f"{_base(campaign_id)}/lottery/draws", body)
    print_result(answer, as_json, ROUND_SHOWN)


@command(_holder, "claim")
@click.argument("campaign_id")
@click.option("--customer", "customer_id", required=True)
def claim(home: Path, as_json: bool, campaign_id: str, customer_id: str) -> None:
    """A winner's claim: grants the coupon by the campaign's rules."""
    answer = client(home).post(f"{_base(campaign_id)}/lottery/claims", {"customer_id": customer_id})
    print_result(answer, as_json, GRANT_SHOWN)


@command(_holder, "export-draw")
@click.argument("campaign_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
def export_draw(home: Path, as_json: bool, campaign_id: str, out: Path | None) -> None:
    """The draw file to publish, for `kippu campaign verify-draw` (stdout or --out)."""
    document = client(home).get(f"{_base(campaign_id)}/lottery/draw-file")
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    print_result({"written": str(out)}, as_json, ("written",))


@click.command("verify-draw")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def verify_draw(path: Path, as_json: bool) -> None:
    """Recompute a lottery campaign's draw from its published file, offline: exit 0 when each
    round's entries hash to the published hash, the seed is the committed secret (or each beacon
    round follows the last) and the winners are the recomputed ones; exit 1 naming what differs
    (2: not a readable draw file)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        found = differences(document)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, DrawFileInvalid) as exc:
        message = f"cannot read the draw file {path}: {exc}"
        if as_json:
            click.echo(json.dumps({"ok": False, "error": message}, ensure_ascii=False))
        else:
            click.echo(f"error: {message}", err=True)
        sys.exit(2)
    rounds = document["rounds"]
    winners = [w for r in rounds for w in r["winners"]]
    if as_json:
        answer = {"ok": not found, "differences": found, "rounds": len(rounds), "winners": winners}
        click.echo(json.dumps(answer, ensure_ascii=False))
    else:
        for line in found:
            click.echo(f"MISMATCH {line}", err=True)
        if not found:
            click.echo(
                f"ok: the draw recomputes ({len(document['entries'])} entries,"
                f" {len(rounds)} rounds, {len(winners)} winners)"
            )
    sys.exit(1 if found else 0)


@command(_holder, "survey-set")
@click.argument("campaign_id")
@click.option(
    "--file",
    "questions_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    required=True,
    help="JSON: a list of {kind: single|multiple|text, prompt, options, required, max_length}.",
)
def survey_set(home: Path, as_json: bool, campaign_id: str, questions_file: Path) -> None:
    """Set a survey campaign's questionnaire (replaceable until someone answers)."""
    questions = json.loads(questions_file.read_text(encoding="utf-8"))
    answer = client(home).request("PUT", f"{_base(campaign_id)}/survey", {"questions": questions})
    _print_survey(answer, as_json)


@command(_holder, "survey")
@click.argument("campaign_id")
def survey(home: Path, as_json: bool, campaign_id: str) -> None:
    """A survey campaign's questionnaire and how many answered."""
    _print_survey(client(home).get(f"{_base(campaign_id)}/survey"), as_json)


def _print_survey(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False))
        return
    for q in answer["questions"]:
        mark = "*" if q["required"] else " "
        options = " / ".join(q["options"])
        click.echo(f"{q['number']:>2}{mark} [{q['kind']}] {q['prompt']}  {options}".rstrip())
    if "responses" in answer:
        click.echo(f"responses: {answer['responses']}")


@command(_holder, "answer")
@click.argument("campaign_id")
@click.option("--customer", "customer_id", required=True)
@click.option("--answers", required=True, help='JSON keyed by number: {"1": "はい", "2": [...]}')
def answer_survey(
    home: Path, as_json: bool, campaign_id: str, customer_id: str, answers: str
) -> None:
    """Answer a survey for a resident; complete answers grant the coupon (or nothing is kept)."""
    try:
        sent = json.loads(answers)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc}", param_hint="--answers") from exc
    body = {"customer_id": customer_id, "answers": sent}
    answer = client(home).post(f"{_base(campaign_id)}/survey/answers", body)
    print_result(answer, as_json, GRANT_SHOWN)


@command(_holder, "answers")
@click.argument("campaign_id")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def answers(home: Path, as_json: bool, campaign_id: str, out: Path) -> None:
    """The survey's answers as CSV (UTF-8 with BOM, for Excel), one row per respondent."""
    data = client(home).get_bytes(f"{_base(campaign_id)}/survey/answers.csv")
    out.write_bytes(data)
    rows = max(0, data.count(b"\r\n") - 1)
    print_result({"written": str(out), "respondents": rows}, as_json, ("written", "respondents"))


COMMANDS = (lottery_secret, verify_draw, *_holder.commands.values())
