"""The 基準日 report through a real node: the admin API in its three formats, the CLI, refusals."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner, Result

from cli import main
from node.errors import ApiRefused
from node.home import NodeHome
from node.identity import encode_node_id
from tests.conftest import START, NodeHandle


def kippu(home: NodeHome, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--home", str(home.root)], catch_exceptions=False)


def sell_and_use(node: NodeHandle) -> str:
    """On 2026-11-24 (Tokyo): ¥20,000 sold for ¥19,000, then ¥5,000 of it used at the counter."""
    api = node.client
    store = api.post("stores", {"name": "本店"})["store_id"]
    voucher = api.post("vouchers", {"amount": 20_000, "price": 19_000, "store_id": store})
    code = api.get(f"vouchers/{voucher['voucher_id']}/code")["payload"]
    api.post("redemptions", {"payload": code, "amount": 5_000, "store_id": store})
    return str(voucher["voucher_id"])


def test_the_api_reports_the_journal_in_json_csv_and_pdf(node: NodeHandle) -> None:
    sell_and_use(node)
    api = node.client
    running = api.get("compliance/report", date="2027-03-31")
    assert (running["unused"], running["issued"], running["collected"]) == (15_000, 20_000, 5_000)
    assert running["final"] is False  # 31 March 2027 is still to come
    assert running["filing_deadline"] == "2027-05-31"
    assert running["acceptance"] == {
        "basis": "today",
        "active_partners": 0,
        "unrelated_partners": 0,
        "changed_after_reference_date": False,
        "last_partner_change": None,
    }
    own = next(c for c in running["classes"] if c["class"] == "own")
    assert (own["issued"], own["used_here"], own["closing"]) == (20_000, 5_000, 15_000)
    before = api.get("compliance/report", date="2026-09-30")
    assert (before["unused"], before["issued"], before["final"]) == (0, 0, True)

    node.clock.set(START + timedelta(days=200))  # past 31 March 2027: the figures are final
    final = api.get("compliance/report", date="2027-03-31")
    assert final["final"] is True and final["unused"] == 15_000

    table = api.get_bytes("compliance/report?date=2027-03-31&format=csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0][:3] == ["基準日", "区分", "class"]
    assert rows[-1][2:] == ["under_act", "0", "20000", "5000", "5000", "0", "0", "0", "0", "15000"]
    pdf = api.get_bytes("compliance/report?date=2027-03-31&format=pdf")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for line in (
        "前払式支払手段の発行に関する報告書",
        "2027年3月31日",
        "15,000円",
        "2027年5月31日",
    ):
        assert line in text


@pytest.mark.parametrize("day", ["2027-03-30", "2027-02-30", "2027-3-31", "1999-09-30"])
def test_the_api_refuses_a_day_that_is_no_reference_date(node: NodeHandle, day: str) -> None:
    with pytest.raises(ApiRefused) as refused:
        node.client.get("compliance/report", date=day)
    assert (refused.value.refused_code, refused.value.status) == (
        "compliance.not_reference_date",
        422,
    )


def test_the_api_refuses_a_missing_date_and_an_unknown_format(node: NodeHandle) -> None:
    for query in ("compliance/report", "compliance/report?date=2027-03-31&format=xlsx"):
        with pytest.raises(ApiRefused) as refused:
            node.client.get(query)
        assert (refused.value.refused_code, refused.value.status) == ("request.invalid", 400)


def test_the_cli_prints_writes_and_refuses(node: NodeHandle, tmp_path: Path) -> None:
    sell_and_use(node)
    home = node.home
    shown = kippu(home, "compliance", "report", "--date", "2027-03-31")
    assert shown.exit_code == 0, shown.output
    assert "unused: 15000" in shown.stdout and "filing_deadline: 2027-05-31" in shown.stdout
    whole = kippu(home, "compliance", "report", "--date", "2027-03-31", "--json")
    assert json.loads(whole.stdout)["under_act"]["closing"] == 15_000
    table = kippu(home, "compliance", "report", "--date", "2027-03-31", "--format", "csv")
    assert table.stdout.splitlines()[1].startswith("2027-03-31,自家型,own,0,20000,5000,")
    out = tmp_path / "report.pdf"
    written = kippu(
        home,
        "compliance",
        "report",
        "--date",
        "2027-03-31",
        "--format",
        "pdf",
        "--output",
        str(out),
    )
    assert written.exit_code == 0, written.output
    assert out.read_bytes().startswith(b"%PDF-")
    refused = kippu(home, "compliance", "report", "--date", "2027-04-01")
    assert refused.exit_code == 1
    assert "[compliance.not_reference_date]" in refused.stderr


def test_a_report_made_after_a_partner_changed_says_it_may_differ(node: NodeHandle) -> None:
    """The registry keeps only each partner's status now: a partner added after 30 September
    2026 marks that 基準日's report (JSON, CSV, PDF), not the 31 March 2027 one still running."""
    sell_and_use(node)
    api = node.client
    assert (
        api.get("compliance/report", date="2026-09-30")["acceptance"][
            "changed_after_reference_date"
        ]
        is False
    )
    partner = {"node_id": encode_node_id(bytes(range(32))), "url": "http://127.0.0.1:9"}
    api.post("peers/import", {"peers": [partner]})
    marked = api.get("compliance/report", date="2026-09-30")["acceptance"]
    assert marked["changed_after_reference_date"] is True
    assert marked["last_partner_change"] is not None
    running = api.get("compliance/report", date="2027-03-31")["acceptance"]
    assert running["changed_after_reference_date"] is False
    table = api.get_bytes("compliance/report?date=2026-09-30&format=csv").decode("utf-8-sig")
    note = list(csv.reader(io.StringIO(table)))[-1]
    assert note[:3] == ["2026-09-30", "注記", "note"] and "提携先の状態が変わりました" in note[3]
    pdf = api.get_bytes("compliance/report?date=2026-09-30&format=pdf")
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "提携先の状態が変わりました" in text
