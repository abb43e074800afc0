"""`kippu demo`, part two: three companies on localhost settle with each other.

An izakaya (A), an Italian restaurant (B) and a hotel (C), each with two stores and its own node
process. A-B and B-C are partners, A-C are not. Vouchers are redeemed across companies in both
directions, one A voucher is refused at C, one redemption is voided, then A and B, and B and C,
agree statements that net both directions, and the payer pays and the payee confirms. Last, each
company exports its signed settlement log and an auditor verifies the three bundles offline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from node.admin_client import AdminClient
from node.errors import ApiRefused
from node.verifier.auditor import verify_bundles

Echo = Callable[[str], None]


@dataclass
class Company:
    label: str
    api: AdminClient
    node_id: str
    stores: list[str]
    home: Path


def _yen(amount: int) -> str:
    return f"-¥{-amount:,}" if amount < 0 else f"¥{amount:,}"


def partner(inviter: Company, joiner: Company, echo: Echo) -> None:
    invite = inviter.api.post("peers/invite", {"valid_hours": 1})
    joined = joiner.api.post("peers/join", {"invite": invite["invite"]})
    echo(f"   {joiner.label} joins {inviter.label}'s invitation: partnership {joined['status']}")


def _sell(company: Company, amount: int) -> str:
    voucher = company.api.post("vouchers", {"amount": amount, "store_id": company.stores[0]})
    return str(voucher["voucher_id"])


def _redeem(issuer: Company, voucher_id: str, at: Company, store: int, amount: int) -> Any:
    payload = issuer.api.get(f"vouchers/{voucher_id}/code")["payload"]
    return at.api.post(
        "redemptions", {"payload": payload, "amount": amount, "store_id": at.stores[store]}
    )


def _cross(issuer: Company, voucher_id: str, at: Company, amount: int, echo: Echo) -> Any:
    result = _redeem(issuer, voucher_id, at, 1, amount)
    echo(
        f"   {at.label} redeems {_yen(amount)} of {issuer.label}'s voucher {voucher_id}: "
        f"{result['status']}, receipt {result['receipt_no']}, "
        f"{_yen(result['balance_after'])} left (claim {result['claim_id']})"
    )
    return result


def run_federation(companies: list[Company], echo: Echo) -> dict[str, Any]:
    a, b, c = companies
    echo("== Part 2: three companies settle with each other ==")
    echo("1. partnerships: A-B and B-C (A and C are not partners)")
    partner(a, b, echo)
    partner(b, c, echo)

    echo("2. each company sells its own vouchers")
    va, vb, vc = _sell(a, 20_000), _sell(b, 15_000), _sell(c, 30_000)
    echo(f"   A sells {va} (¥20,000), B sells {vb} (¥15,000), C sells {vc} (¥30,000)")

    echo("3. local redemption: A's voucher at A's second store")
    local = _redeem(a, va, a, 1, 2_000)
    echo(f"   A redeems ¥2,000 at home: receipt {local['receipt_no']}")

    echo("4. cross-company redemptions in both directions")
    _cross(a, va, b, 7_000, echo)
    _cross(b, vb, a, 3_000, echo)
    _cross(b, vb, c, 4_000, echo)
    _cross(c, vc, b, 12_500, echo)
    mistaken = _cross(a, va, b, 1_000, echo)

    echo("5. A's voucher shown at the hotel C, which is not A's partner")
    try:
        _redeem(a, va, c, 0, 1_000)
        refused = ""
    except ApiRefused as exc:
        refused = exc.refused_code
    echo(f"   refused [{refused}]: C does not accept A's vouchers")

    echo("6. B's staff void the mistaken ¥1,000 redemption of A's voucher")
    voided = b.api.post(f"redemptions/{mistaken['claim_id']}/void")
    echo(f"   voided: A's voucher is back to {_yen(voided['balance_after'])}")

    _print_balances(companies, "   before settlement:", echo)

    time.sleep(1.0)  # a statement's cut-off is the last whole second: let this one pass
    echo("7. statements (請求明細): B proposes to A and to C; each partner recomputes and agrees")
    statements = []
    for partner_company in (a, c):
        proposed = b.api.post("settlement/statements", {"peer": partner_company.node_id})
        statements.append((partner_company, proposed))
        echo(
            f"   B-{partner_company.label} statement #{proposed['number']}: {proposed['status']}; "
            f"owed to B {_yen(proposed['owed_to_us'])}, owed by B "
            f"{_yen(proposed['owed_by_us'])} -> netted: "
            f"{_payer_label(proposed, companies)} pays {_yen(proposed['amount'])}"
        )

    echo("8. payment and confirmation (支払と入金確認)")
    for partner_company, proposed in statements:
        payer = _by_id(companies, proposed["payer"])
        payee = b if payer is partner_company else partner_company
        sid = proposed["statement_id"]
        reference = {"reference": f"FURIKOMI-{sid[-6:]}"}
        paid = payer.api.post(f"settlement/statements/{sid}/pay", reference)
        echo(f"   {payer.label} transfers {_yen(paid['amount'])} and records it: {paid['status']}")
        confirmed = payee.api.post(f"settlement/statements/{sid}/confirm")
        echo(f"   {payee.label} sees the money and confirms: {confirmed['status']}")

    echo("9. after the statement, C redeems B's voucher again: it waits for the next statement")
    _cross(b, vb, c, 2_500, echo)
    pairs = _print_balances(companies, "   final balances of every pair:", echo)
    checks = {co.label: bool(co.api.get("ledger/check")["ok"]) for co in companies}
    verdicts = ", ".join(f"{label} {'OK' if ok else 'FAILED'}" for label, ok in checks.items())
    echo(f"10. ledger checks: {verdicts}")
    audit = _audit(companies, echo)
    return {
        "refused": refused,
        "balances": pairs,
        "checks": checks,
        "statements": statements,
        "audit": audit,
    }


def _audit(companies: list[Company], echo: Echo) -> dict[str, Any]:
    """Each company exports its settlement log; the auditor checks all three offline at once."""
    echo("11. audit (監査): each company exports its signed settlement log; one offline check")
    paths = []
    for co in companies:
        co.api.post("audit/checkpoint")
        path = co.home / "audit.bundle"
        co.api.download("audit/export", path)
        paths.append(path)
    trust = {co.label: co.node_id for co in companies}
    report = verify_bundles(paths, trust)
    for co, bundle in zip(companies, report.bundles, strict=True):
        # The bundle stops at the latest checkpoint; the log itself is longer (the checkpoint
        # messages to partners are appended after it), so its size is not the bundle's count.
        latest = bundle.latest or {}
        cosigners = ", ".join(latest.get("cosigned_by", [])) or "nobody"
        echo(
            f"   {co.label}: {bundle.entries} entries in its bundle, latest checkpoint"
            f" countersigned by {cosigners}"
        )
    for pair in report.pairs:
        first, second = _by_id(companies, pair.first), _by_id(companies, pair.second)
        verdict = "agree" if pair.balances_agree and not pair.problems else "DIFFER"
        echo(
            f"   {first.label}-{second.label}: {pair.claims_matched} claims match; books {verdict}"
        )
    echo(
        f"   kippu audit verify {' '.join(str(p) for p in paths)}: {'OK' if report.ok else 'FAILED'}"
    )
    return {"ok": report.ok, "pairs": len(report.pairs), "problems": len(report.problems)}


def _print_balances(companies: list[Company], title: str, echo: Echo) -> dict[tuple[str, str], Any]:
    echo(title)
    pairs = {}
    for company in companies:
        for entry in company.api.get("settlement/balances")["balances"]:
            peer = _by_id(companies, entry["peer"]).label
            pairs[(company.label, peer)] = entry
            echo(
                f"     {company.label} with {peer}: receivable {_yen(entry['receivable'])}, "
                f"payable {_yen(entry['payable'])}, net {_yen(entry['net'])}"
            )
    return pairs


def _by_id(companies: list[Company], node_id: str) -> Company:
    return next(co for co in companies if co.node_id == node_id)


def _payer_label(statement: dict[str, Any], companies: list[Company]) -> str:
    if not statement["payer"]:
        return "nobody"
    return _by_id(companies, statement["payer"]).label
