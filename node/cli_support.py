"""Shared pieces of the `kippu` command: --home/--json options, refusals as exit 1, output."""

from __future__ import annotations

import functools
import json
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from node.admin_client import AdminClient
from node.errors import ApiRefused, KippuError, NodeUnavailable
from node.home import NodeHome

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_HOME = Path.home() / ".kippu"


def home_option(func: F) -> F:
    return click.option(
        "--home",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="KIPPU_HOME",
        default=DEFAULT_HOME,
        show_default="$KIPPU_HOME or ~/.kippu",
        help="The node's home directory.",
    )(func)


def json_option(func: F) -> F:
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
                details = exc.body.get("error", {}) if isinstance(exc.body, dict) else {}
                fail(exc.refused_code, exc.message, kw.get("as_json", False), details)
            except KippuError as exc:
                fail(exc.code, exc.message, kw.get("as_json", False))

        decorated = home_option(json_option(wrapper))
        group.command(name, **kwargs)(decorated)
        return func

    return decorate


def fail(code: str, message: str, as_json: bool, details: dict[str, Any] | None = None) -> None:
    if as_json:
        error = {**(details or {}), "code": code, "message": message}
        click.echo(json.dumps({"error": error}, ensure_ascii=False), err=True)
    else:
        click.echo(f"error: {message} [{code}]", err=True)
    sys.exit(1)


def print_result(
    result: dict[str, Any], as_json: bool, keys: tuple[str, ...] | None = None
) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key in keys or tuple(result):
        if key in result and not isinstance(result[key], list | dict):
            click.echo(f"{key}: {result[key]}")


def print_table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    if not rows:
        click.echo("(none)")
        return
    widths = [max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        cells = (str(row.get(c, "")) for c in columns)
        click.echo("  ".join(v.ljust(w) for v, w in zip(cells, widths, strict=True)))


def print_list(result: dict[str, Any], key: str, as_json: bool, columns: tuple[str, ...]) -> None:
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_table(result[key], columns)


def client(home: Path) -> AdminClient:
    return AdminClient.for_home(NodeHome(home))


def post_with_key(
    api: AdminClient, path: str, body: dict[str, Any], key: str | None
) -> tuple[dict[str, Any], str]:
    """POST `body` with an Idempotency-Key: `key`, or a new one for this run, so that a run whose
    answer was lost names the key that repeats it safely (what was made already is answered,
    never made twice). Returns the answer and the key sent."""
    sent = key if key is not None else "cli-" + secrets.token_urlsafe(18)
    try:
        answer: dict[str, Any] = api.request("POST", path, body, headers={"Idempotency-Key": sent})
    except NodeUnavailable as exc:
        raise NodeUnavailable(
            f"{exc.message} It may have been done already: run again with --idempotency-key"
            f" {sent} (what was done is answered, never done twice)."
        ) from exc
    return answer, sent
