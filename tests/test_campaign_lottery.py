"""Lottery campaigns on a real node: apply once within the period with the campaign's checks,
close, draw with the office's committed secret or a beacon value, winners claim within the
deadline (a grant by the campaign's rules), unclaimed wins go back to the budget and a second
round draws from the entries that did not win; the exported draw file recomputes in a separate
process (`python -m cli campaign verify-draw`) and a tampered one is caught."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from node.campaigns import tables
from node.campaigns.model import Method
from node.home import NodeHome
from tests.campaign_helpers import CampaignNode, campaign_node, create, moment, terms
from tests.conftest import FakeClock

SECRET = bytes(range(32))
COMMITMENT = hashlib.sha256(SECRET).hexdigest()
ROOT = Path(__file__).resolve().parent.parent


def verify(path: Path) -> tuple[int, dict[str, Any]]:
    """`kippu campaign verify-draw FILE --json` in its own process, from the source tree."""
    done = subprocess.run(
        [sys.executable, "-m", "cli", "campaign", "verify-draw", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


async def lottery_campaign(cn: CampaignNode, clock: FakeClock, stock: int, **setup: Any) -> str:
    body = terms(clock, "lottery", stock=stock, ends_at=moment(clock, days=30))
    cid = (await create(cn, body))["campaign_id"]
    sent = {"entries_until": moment(clock, days=7), "claim_days": 5, **setup}
    status, made = await cn.admin("PUT", f"campaigns/{cid}/lottery", sent)
    assert status == 201, made
    return cid


async def apply_all(cn: CampaignNode, cid: str, count: int) -> list[str]:
    people = [await cn.customer(f"応募者{i}") for i in range(count)]
    for person in people:
        status, made = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/entries", {"customer_id": person}
        )
        assert status == 201, made
    return people


async def test_apply_close_draw_claim_and_a_second_round(
    home: NodeHome, clock: FakeClock, tmp_path: Path
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = await lottery_campaign(cn, clock, 3, seed_mode="secret", commitment=COMMITMENT)
        people = await apply_all(cn, cid, 8)
        status, twice = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/entries", {"customer_id": people[0]}
        )
        assert (status, twice["error"]["code"]) == (409, "campaign.already_applied")
        status, direct = await cn.admin(
            "POST", f"campaigns/{cid}/grants", {"customer_id": people[0]}
        )
        assert (status, direct["error"]["code"]) == (409, "campaign.kind_refused")
        status, early = await cn.admin("POST", f"campaigns/{cid}/lottery/close", {})
        assert (status, early["error"]["code"]) == (409, "campaign.entries_open")

        clock.advance(days=8)
        late = await cn.customer("遅れた人")
        status, refused = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/entries", {"customer_id": late}
        )
        assert (status, refused["error"]["code"]) == (409, "campaign.entries_closed")
        status, closed = await cn.admin("POST", f"campaigns/{cid}/lottery/close", {})
        assert status == 200 and closed["entry_count"] == 8
        status, wrong = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/draws", {"secret": "00" * 32}
        )
        assert (status, wrong["error"]["code"]) == (422, "campaign.seed_refused")
        status, first = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/draws", {"secret": SECRET.hex()}
        )
        assert status == 201, first
        assert first["round"] == 1 and len(first["winners"]) == 3

        standings = {}
        for person in people:
            _, standing = await cn.admin("GET", f"campaigns/{cid}/lottery/entries/{person}")
            standings[person] = standing
        winners = [p for p, s in standings.items() if s["state"] == "won"]
        losers = [p for p, s in standings.items() if s["state"] == "not_won"]
        assert len(winners) == 3 and len(losers) == 5
        assert sorted(standings[p]["entry_id"] for p in winners) == sorted(first["winners"])

        status, not_won = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/claims", {"customer_id": losers[0]}
        )
        assert (status, not_won["error"]["code"]) == (403, "campaign.not_won")
        status, granted = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/claims", {"customer_id": winners[0]}
        )
        assert status == 201, granted
        status, again = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/claims", {"customer_id": winners[0]}
        )
        assert (status, again["error"]["code"]) == (409, "campaign.already_claimed")
        status, soon = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/draws", {"secret": SECRET.hex()}
        )
        assert (status, soon["error"]["code"]) == (409, "campaign.claims_open")

        clock.advance(days=6)  # the claim deadline passes: two wins go back to the budget
        status, expired = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/claims", {"customer_id": winners[1]}
        )
        assert (status, expired["error"]["code"]) == (409, "campaign.claim_expired")
        status, second = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/draws", {"secret": SECRET.hex()}
        )
        assert status == 201, second
        assert second["round"] == 2 and len(second["winners"]) == 2
        assert second["entry_count"] == 5 and not set(second["winners"]) & set(first["winners"])
        second_winner = next(p for p in losers if standings[p]["entry_id"] in second["winners"])
        status, granted2 = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/claims", {"customer_id": second_winner}
        )
        assert status == 201, granted2

        _, shown = await cn.admin("GET", f"campaigns/{cid}")
        assert shown["granted_sets"] == 2 and shown["granted_yen"] == 2000
        assert shown["outstanding_yen"] == 2000 and shown["reconciled"] is True
        status, checked = await cn.admin("GET", "ledger/check")
        assert status == 200 and checked["ok"] is True
        _, summary = await cn.admin("GET", f"campaigns/{cid}/lottery")
        assert [r["claimed"] for r in summary["rounds"]] == [1, 1]

        status, document = await cn.admin("GET", f"campaigns/{cid}/lottery/draw-file")
        assert status == 200
    published = tmp_path / "draw.json"
    published.write_text(json.dumps(document), encoding="utf-8")
    code, answer = verify(published)
    assert (code, answer["ok"], answer["differences"]) == (0, True, [])
    assert answer["winners"] == first["winners"] + second["winners"]

    tampered = dict(document)
    tampered["rounds"] = [dict(document["rounds"][0]), document["rounds"][1]]
    swapped = next(e for e in document["entries"] if e not in first["winners"])
    tampered["rounds"][0]["winners"] = [swapped, *first["winners"][1:]]
    (tmp_path / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    code, answer = verify(tmp_path / "tampered.json")
    assert code == 1 and any("round 1: the winners differ" in d for d in answer["differences"])

    added = dict(document, entries=sorted([*document["entries"], "le_zzzzzzzz"]))
    (tmp_path / "added.json").write_text(json.dumps(added), encoding="utf-8")
    code, answer = verify(tmp_path / "added.json")
    assert code == 1 and any("entries_hash" in d for d in answer["differences"])

    (tmp_path / "junk.json").write_text('{"format": "other"}', encoding="utf-8")
    assert verify(tmp_path / "junk.json")[0] == 2


async def test_beacon_draw_records_its_round_and_a_later_round_must_follow(
    home: NodeHome, clock: FakeClock, tmp_path: Path
) -> None:
    async with campaign_node(home, clock) as cn:
        cid = await lottery_campaign(
            cn, clock, 2, seed_mode="beacon", beacon_name="drand quicknet", beacon_round=9000
        )
        await apply_all(cn, cid, 5)
        clock.advance(days=8)
        assert (await cn.admin("POST", f"campaigns/{cid}/lottery/close", {}))[0] == 200
        value = hashlib.sha256(b"round 9000").hexdigest()
        status, other = await cn.admin(
            "POST",
            f"campaigns/{cid}/lottery/draws",
            {"beacon_round": 8999, "beacon_value": value},
        )
        assert (status, other["error"]["code"]) == (422, "campaign.seed_refused")
        status, secret = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/draws", {"secret": SECRET.hex()}
        )
        assert (status, secret["error"]["code"]) == (422, "campaign.lottery_invalid")
        status, first = await cn.admin(
            "POST",
            f"campaigns/{cid}/lottery/draws",
            {"beacon_round": 9000, "beacon_value": value},
        )
        assert status == 201 and first["beacon_round"] == 9000 and len(first["winners"]) == 2
        clock.advance(days=6)
        status, stale = await cn.admin(
            "POST",
            f"campaigns/{cid}/lottery/draws",
            {"beacon_round": 9000, "beacon_value": value},
        )
        assert (status, stale["error"]["code"]) == (422, "campaign.seed_refused")
        status, second = await cn.admin(
            "POST",
            f"campaigns/{cid}/lottery/draws",
            {"beacon_round": 9100, "beacon_value": hashlib.sha256(b"9100").hexdigest()},
        )
        assert status == 201 and len(second["winners"]) == 2
        _, document = await cn.admin("GET", f"campaigns/{cid}/lottery/draw-file")
    assert document["seed_mode"] == "beacon" and document["beacon_name"] == "drand quicknet"
    assert [r["beacon_round"] for r in document["rounds"]] == [9000, 9100]
    path = tmp_path / "beacon.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert verify(path)[0] == 0
    document["rounds"][1]["seed"] = hashlib.sha256(b"another value").hexdigest()
    path.write_text(json.dumps(document), encoding="utf-8")
    code, answer = verify(path)
    assert code == 1 and any(d.startswith("round 2:") for d in answer["differences"])


async def test_applying_needs_the_campaigns_checks(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        body = terms(clock, "lottery", stock=2, eligibility=["serial"])
        cid = (await create(cn, body))["campaign_id"]
        sent = {
            "seed_mode": "secret",
            "commitment": COMMITMENT,
            "entries_until": moment(clock, days=7),
            "claim_days": 5,
        }
        assert (await cn.admin("PUT", f"campaigns/{cid}/lottery", sent))[0] == 201
        status, again = await cn.admin("PUT", f"campaigns/{cid}/lottery", sent)
        assert (status, again["error"]["code"]) == (409, "campaign.lottery_set_up")
        person = await cn.customer()
        status, refused = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/entries", {"customer_id": person}
        )
        assert (status, refused["error"]["code"]) == (403, "campaign.not_eligible")

        def passed(conn: Any) -> bool:
            return tables.record_verification(
                conn, cid, person, Method.SERIAL, "SERIAL-0001", clock.now()
            )

        assert await cn.node.require_writer().submit(passed)
        status, made = await cn.admin(
            "POST", f"campaigns/{cid}/lottery/entries", {"customer_id": person}
        )
        assert status == 201, made


async def test_set_up_refusals_name_their_field(home: NodeHome, clock: FakeClock) -> None:
    async with campaign_node(home, clock) as cn:
        cid = (await create(cn, terms(clock, "lottery", stock=2)))["campaign_id"]
        base = {"seed_mode": "secret", "commitment": COMMITMENT, "claim_days": 5}
        cases = [
            ({**base, "entries_until": moment(clock, days=40)}, "entries_until"),
            ({**base, "entries_until": moment(clock, days=7), "commitment": "ab"}, "commitment"),
            ({**base, "entries_until": moment(clock, days=7), "claim_days": 0}, "claim_days"),
            ({**base, "entries_until": moment(clock, days=7), "seed_mode": "dice"}, "seed_mode"),
            (
                {"seed_mode": "beacon", "entries_until": moment(clock, days=7), "claim_days": 5},
                "beacon_name",
            ),
        ]
        for body, field in cases:
            status, refused = await cn.admin("PUT", f"campaigns/{cid}/lottery", body)
            assert status == 422, (field, refused)
            assert refused["error"]["field"] == field
        first_come = (await create(cn, terms(clock)))["campaign_id"]
        body = {**base, "entries_until": moment(clock, days=7)}
        status, refused = await cn.admin("PUT", f"campaigns/{first_come}/lottery", body)
        assert (status, refused["error"]["code"]) == (409, "campaign.lottery_not_set_up")
