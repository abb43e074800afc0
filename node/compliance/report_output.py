"""The 基準日 report as the API's JSON and as CSV (one row per class, then the act's total)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from node.clock import iso
from node.compliance.model import VoucherClass
from node.compliance.reference_date import (
    THRESHOLD_YEN,
    ClassFigures,
    ReferenceDateReport,
)

# The basis of the class split; the partner registry has no status history (docs/operations.md).
ACCEPTANCE_BASIS = "today"
ACCEPTANCE_CHANGED_NOTE = (
    "基準日の後に提携先の状態が変わりました。区分は現在の受け入れ状況によるため、"
    "提出済みの報告書と異なることがあります。"
)


def maybe_iso(moment: datetime | None) -> str | None:
    return None if moment is None else iso(moment)


CLASS_LABELS = {
    VoucherClass.OWN: "自家型",
    VoucherClass.THIRD_PARTY: "第三者型",
    VoucherClass.EXEMPT: "適用除外",
    VoucherClass.FREE: "無償(法の対象外)",
}

# (JSON field, CSV heading) of each class figure, in the 報告書's order.
FIGURE_COLUMNS = (
    ("opening", "前基準日未使用残高"),
    ("issued", "発行額"),
    ("collected", "回収額"),
    ("used_here", "うち当社店舗での使用"),
    ("used_by_partners", "うち加盟店での使用"),
    ("refunded", "うち払戻し"),
    ("expired", "うち失効"),
    ("moved", "譲渡による移動"),
    ("closing", "基準日未使用残高"),
)


def class_json(figures: ClassFigures) -> dict[str, Any]:
    return {
        "class": str(figures.voucher_class),
        "opening": figures.opening_yen,
        "issued": figures.issued_yen,
        "collected": figures.collected_yen,
        "used_here": figures.used_here_yen,
        "used_by_partners": figures.used_by_partners_yen,
        "refunded": figures.refunded_yen,
        "expired": figures.expired_yen,
        "moved": figures.moved_yen,
        "closing": figures.closing_yen,
    }


def act_json(report: ReferenceDateReport) -> dict[str, Any]:
    """自家型 and 第三者型 together: what the act counts (exempt and free value are outside it)."""
    parts = [class_json(c) for c in report.under_act]
    return {
        "class": "under_act",
        **{key: sum(p[key] for p in parts) for key, _ in FIGURE_COLUMNS},
    }


def report_json(report: ReferenceDateReport) -> dict[str, Any]:
    period = report.period
    acceptance = report.acceptance
    return {
        "issuer": report.issuer_name,
        "reference_date": period.reference_date.isoformat(),
        "previous_date": period.previous_date.isoformat(),
        "period_start": iso(period.starts_at),
        "period_end": iso(period.ends_at),
        "filing_deadline": period.filing_deadline.isoformat(),
        "final": report.is_final,
        "computed_at": iso(report.computed_at),
        "unused": report.unused_yen,
        "issued": report.issued_yen,
        "collected": report.collected_yen,
        "threshold": THRESHOLD_YEN,
        "passes_threshold": report.passes_threshold,
        "deposit_required": report.deposit_required_yen,
        "filing_required": report.filing_required,
        "third_party": acceptance.is_third_party,
        "acceptance": {
            "basis": ACCEPTANCE_BASIS,
            "active_partners": len(acceptance.active_partners),
            "unrelated_partners": len(acceptance.unrelated_partners),
            "changed_after_reference_date": report.acceptance_changed_since,
            "last_partner_change": maybe_iso(report.partners_changed_at),
        },
        "classes": [class_json(c) for c in report.classes],
        "under_act": act_json(report),
    }


def report_csv(report: ReferenceDateReport) -> str:
    """One row per class and one for the act's total, in yen; the header names the 基準日."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["基準日", "区分", "class", *(heading for _, heading in FIGURE_COLUMNS)])
    day = report.period.reference_date.isoformat()
    for figures in report.classes:
        row = class_json(figures)
        label = CLASS_LABELS[figures.voucher_class]
        writer.writerow([day, label, row["class"], *(row[key] for key, _ in FIGURE_COLUMNS)])
    total = act_json(report)
    writer.writerow([day, "合計(法の対象)", "under_act", *(total[k] for k, _ in FIGURE_COLUMNS)])
    if report.acceptance_changed_since:
        writer.writerow([day, "注記", "note", ACCEPTANCE_CHANGED_NOTE])
    return out.getvalue()
