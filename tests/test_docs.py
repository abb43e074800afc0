"""Shipped docs and examples stay true: README commands, peers.example.toml, operations.md."""

from __future__ import annotations

import inspect
import io
import re
import shlex
from pathlib import Path

import click
import msgpack
import pytest

import node.errors
from cli import main
from node.api.routes import ROUTES
from node.config import _KNOWN_KEYS, ListenAddress, render_config
from node.demo import run_demo
from node.identity import decode_node_id, fingerprint
from node.peering.api import PEER_ROUTES
from node.peering.peerfile import load_peer_list, parse_peer_list
from node.settlement.api import SETTLEMENT_ROUTES
from node.settlement.audit.api import AUDIT_ROUTES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATIONS = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")


def _documented_commands(text: str) -> list[list[str]]:
    """Every `kippu ...` invocation in code blocks and `inline code`, as argv lists."""
    lines = re.findall(r"^(?:\.venv/bin/)?(kippu [^#\n]*)", text, flags=re.M)
    lines += re.findall(r"`(kippu [^`]*)`", text)
    commands = []
    for line in lines:
        for part in line.split(" / "):  # "kippu store add NAME / kippu store list"
            words = shlex.split(re.sub(r"\[|\]|\|", " ", part.strip()))
            if words and words[0] == "kippu":
                commands.append(words[1:])
    return commands


def _resolve(argv: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = main
    rest = list(argv)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        if sub is None:
            break
        command, rest = sub, rest[1:]
    return command, rest


def _all_commands(group: click.Group, prefix: str = "kippu") -> list[str]:
    names = []
    for name, sub in group.commands.items():
        if isinstance(sub, click.Group):
            names += _all_commands(sub, f"{prefix} {name}")
        else:
            names.append(f"{prefix} {name}")
    return names


def test_readme_gives_exactly_the_two_setup_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert re.findall(r"^make \w+", quick_start, flags=re.M) == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("source", ["README.md", "docs/operations.md"])
def test_documented_commands_exist_with_their_options(source: str) -> None:
    commands = _documented_commands((ROOT / source).read_text(encoding="utf-8"))
    assert len(commands) >= 10
    for argv in commands:
        command, rest = _resolve(argv)
        assert not isinstance(command, click.Group), f"{source}: `kippu {' '.join(argv)}`"
        known = {opt for param in command.params for opt in param.opts}
        for word in rest:
            if word.startswith("--"):
                assert word in known, f"{source}: `kippu {' '.join(argv)}`: no option {word}"


def test_every_command_is_documented_in_operations() -> None:
    for name in _all_commands(main):
        assert f"`{name}" in OPERATIONS, f"{name} is missing from docs/operations.md"


def test_every_error_code_is_documented() -> None:
    for _, cls in inspect.getmembers(node.errors, inspect.isclass):
        if issubclass(cls, node.errors.KippuError):
            assert f"`{cls.code}`" in OPERATIONS, f"{cls.code} is missing from operations.md"


def test_the_redemptions_csv_columns_are_documented() -> None:
    from node.web.admin.exports import HEADER

    assert f"header `{', '.join(HEADER)}`" in OPERATIONS


def test_every_setting_is_documented_and_written_by_init() -> None:
    rendered = render_config("X", ListenAddress("127.0.0.1", 8470))
    for table, keys in _KNOWN_KEYS.items():
        for key in keys:
            assert f"`{table}.{key}`" in OPERATIONS, f"{table}.{key} missing from operations.md"
            assert re.search(rf"^{key} = ", rendered, flags=re.M), f"init does not write {key}"


def test_peers_example_loads_and_its_fingerprints_match() -> None:
    peers = load_peer_list(ROOT / "peers.example.toml")
    assert [p.name for p in peers] == ["Trattoria Uno", "Hotel Sakura"]
    text = (ROOT / "peers.example.toml").read_text(encoding="utf-8")
    assert text.count("fingerprint = ") == 2
    for peer in peers:
        assert fingerprint(decode_node_id(peer.node_id)) in text


def test_peer_list_problems_are_all_reported() -> None:
    bad = """
    [[peer]]
    name = ""
    node_id = "NOTBASE32!"
    url = "ftp://x"
    colour = "red"
    max_receivable_yen = -1
    """
    with pytest.raises(node.errors.ConfigError) as caught:
        parse_peer_list(bad)
    text = " | ".join(caught.value.problems)
    for key in (
        "peer[0].name",
        "peer[0].node_id",
        "peer[0].url",
        "peer[0].colour",
        "peer[0].max_receivable_yen",
    ):
        assert key in text


def test_the_demo_runs_end_to_end(tmp_path: Path) -> None:
    lines: list[str] = []
    result = run_demo(tmp_path, lines.append)
    assert result["check"]["ok"] is True
    assert result["refusals"] == [
        "voucher.code_used",
        "ledger.insufficient_balance",
        "voucher.gift_not_allowed",
    ]
    balances = sorted(v["balance"] for v in result["vouchers"])
    assert balances == [5_000, 6_000, 10_000]
    assert any("ledger check: OK" in line for line in lines)
    points = result["points"]  # 1 per ¥100 on ¥12,345, earned once despite the retry
    assert (points["earned"], points["replayed"], points["used"]) == (123, True, 100)
    assert points["balance"] == 23
    assert points["refusals"] == ["member.card_cannot_spend", "member.code_used"]

    crm = result["crm"]  # 山田 consented and has paid: the one customer of the segment
    assert crm["segment"] == 1
    # The mail reached 山田 (the one consenting customer) in the demo's mailbox, lawfully, and
    # the coupon it gave was refused at the other store and spent at 新宿店.
    assert crm["mail"] == {**crm["mail"], "status": "sent", "sent": 1, "received": 1}
    assert crm["mail"]["lawful"] is True
    assert crm["coupon"] == {"refused_elsewhere": "voucher.not_for_this_store", "used_yen": 500}
    assert crm["paying"] >= 2 and 0 < crm["top20_share"] <= 1

    campaign = result["campaigns"]  # a premium set of ¥13,000 to each of two residents
    assert campaign["refusals"] == ["campaign.not_open", "voucher.not_for_this_store"]
    status = campaign["status"]
    assert (status["budget_yen"], status["granted_yen"], status["remaining_yen"]) == (
        13_000_000,
        26_000,
        12_974_000,
    )
    assert (status["used_yen"], status["lapsed_yen"], status["outstanding_yen"]) == (
        7_500,
        0,
        18_500,
    )
    assert status["reconciled"] is True and status["paid_by_residents_yen"] == 20_000
    assert (campaign["first_come"]["granted_sets"], campaign["first_come"]["released"]) == (2, 2)
    assert any("reconciled with the ledger" in line for line in lines)
    payout = campaign["payout"]  # used today: the preview, the run refused until the day is over
    assert payout["refused"] == "payout.period_not_over"
    assert sorted(s["total_yen"] for s in payout["preview"]["stores"]) == [3_000, 4_500]
    assert all(s["has_account"] for s in payout["preview"]["stores"])
    books = payout["books"]
    assert (books["paid_yen"], books["unpaid_yen"], books["used_yen"]) == (0, 7_500, 7_500)
    assert books["reconciled"] is True

    federation = result["federation"]
    assert federation["refused"] == "voucher.foreign_issuer"  # A and C are not partners
    assert federation["audit"] == {"ok": True, "pairs": 2, "problems": 0}
    assert federation["checks"] == {"A": True, "B": True, "C": True}
    assert [s["status"] for _, s in federation["statements"]] == ["agreed", "agreed"]
    pairs = federation["balances"]
    assert set(pairs) == {("A", "B"), ("B", "A"), ("B", "C"), ("C", "B")}
    for first, second in pairs:  # each side's receivable is the other's payable
        assert pairs[(first, second)]["receivable"] == pairs[(second, first)]["payable"]
    assert pairs[("C", "B")]["receivable"] == 2_500  # redeemed after the statement: still open
    assert pairs[("A", "B")]["net"] == 0
    _the_demo_counts_each_bundles_entries(tmp_path, lines)


def _the_demo_counts_each_bundles_entries(base: Path, lines: list[str]) -> None:
    """The audit step prints, per company, the number of entries in the bundle it exported (its
    header's size, read here with msgpack), not the size of the log, which holds more (the
    checkpoint messages appended after the checkpoint the export stops at)."""
    printed = dict(re.findall(r"^   ([ABC]): (\d+) entries in its bundle", "\n".join(lines), re.M))
    assert set(printed) == {"A", "B", "C"}, lines
    for label, slug in (("A", "izakaya"), ("B", "trattoria"), ("C", "hotel")):
        [bundle] = base.glob(f"*-{slug}/audit.bundle")
        header = next(iter(msgpack.Unpacker(io.BytesIO(bundle.read_bytes()), raw=False)))
        assert int(printed[label]) == header["size"], (label, printed[label], header)


def test_every_peer_route_says_which_of_its_answers_are_unsigned() -> None:
    """docs/protocol.md, "Unsigned answers": a table row per /peer/v1/ route, so a partner (and
    a new route's author) knows exactly which answers carry no signature."""
    protocol = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = protocol.split("### Unsigned answers", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"^\| `(/peer/v1/[^`]+)` \|", section, flags=re.M))
    every = ROUTES + PEER_ROUTES + SETTLEMENT_ROUTES + AUDIT_ROUTES
    served = {path for _, path, _ in every if path.startswith("/peer/")}
    assert served and documented == served
