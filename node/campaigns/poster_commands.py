"""`kippu store poster STORE_ID --out FILE`: a participating store's A4 QR poster (PDF), through
the running node's admin API (node/web/store_poster_api.py). `add_poster_command` puts it in
the `store` group, whichever module defines that group."""

from __future__ import annotations

from pathlib import Path

import click

from node.cli_support import client, command, print_result


@click.group()
def store() -> None:
    """Participating stores of municipal campaigns (加盟店): QR posters, bank accounts."""


def add_poster_command(group: click.Group) -> None:
    @command(group, "poster")
    @click.argument("store_id")
    @click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        required=True,
        help="Where to write the PDF (A4, one page).",
    )
    def poster(home: Path, as_json: bool, store_id: str, out: Path) -> None:
        """The store's A4 QR poster: its name, the office's, the QR residents scan to pay and
        the store code printed (given now if the store has none)."""
        size = client(home).download(f"campaign-stores/{store_id}/poster.pdf", out)
        print_result({"store_id": store_id, "file": str(out), "bytes": size}, as_json)


add_poster_command(store)
