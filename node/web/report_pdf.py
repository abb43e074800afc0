"""The 基準日 report as a one-page A4 PDF laid out like the 前払式支払手段の発行に関する報告書,
so that a person can transcribe its figures into the official form (in the receipts' font)."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.colors import red
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from node.compliance.reference_date import THRESHOLD_YEN, ReferenceDateReport
from node.compliance.report_output import (
    ACCEPTANCE_CHANGED_NOTE,
    CLASS_LABELS,
    FIGURE_COLUMNS,
    class_json,
)
from node.web.pdf_fonts import drawing_font, fit_lines

MARGIN = 50.0
LABEL_WIDTH = 210.0
ROW = 22.0


def wareki_free(day: date) -> str:
    """A date as the form writes it (西暦): 2027年3月31日."""
    return f"{day.year}年{day.month}月{day.day}日"


def yen(amount: int) -> str:
    return f"{amount:,}円"


def render_report(report: ReferenceDateReport, zone: ZoneInfo, font: Path) -> bytes:
    """The report as PDF bytes (A4, one page, the font embedded as a subset)."""
    with drawing_font(font) as name:
        return _draw(report, zone, name)


def _draw(report: ReferenceDateReport, zone: ZoneInfo, font: str) -> bytes:
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(f"前払式支払手段の発行に関する報告書 {report.period.reference_date.isoformat()}")
    pdf.setSubject("基準日未使用残高 Reference-date report (資金決済法)")
    pdf.setCreator("Kippu")
    y = _draw_heading(pdf, font, report)
    y = _draw_rows(pdf, font, y, _summary_rows(report))
    y = _draw_classes(pdf, font, y - 10, report)
    _draw_notes(pdf, font, y - 10, report, zone)
    pdf.save()
    return buffer.getvalue()


def _draw_heading(pdf: Canvas, font: str, report: ReferenceDateReport) -> float:
    width, height = A4
    y: float = height - MARGIN - 10
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, y, "前払式支払手段の発行に関する報告書")
    pdf.setFont(font, 9)
    pdf.drawCentredString(width / 2, y - 15, "(転記用の控え Figures to transcribe into the form)")
    if not report.is_final:
        pdf.saveState()
        pdf.setFillColor(red)
        pdf.setFont(font, 11)
        pdf.drawCentredString(
            width / 2, y - 32, "速報: 基準日はまだ終わっていません (figures so far)"
        )
        pdf.restoreState()
    return y - 56


def _summary_rows(report: ReferenceDateReport) -> list[tuple[str, str]]:
    period = report.period
    kind = "第三者型" if report.acceptance.is_third_party else "自家型"
    passes = "超えている" if report.passes_threshold else "超えていない"
    return [
        ("発行者の氏名又は名称", report.issuer_name),
        ("基準日", wareki_free(period.reference_date)),
        (
            "基準期間",
            f"{wareki_free(period.previous_date)}の翌日から{wareki_free(period.reference_date)}まで",
        ),
        ("前払式支払手段の種類", kind),
        ("前基準日未使用残高", yen(report.opening_yen)),
        ("基準期間の発行額", yen(report.issued_yen)),
        ("基準期間の回収額", yen(report.collected_yen)),
        ("基準日未使用残高", yen(report.unused_yen)),
        (f"基準額 ({yen(THRESHOLD_YEN)}) を", passes),
        ("要供託額 (発行保証金)", yen(report.deposit_required_yen)),
        ("報告書の提出期限", wareki_free(period.filing_deadline)),
    ]


def _draw_rows(pdf: Canvas, font: str, y: float, rows: list[tuple[str, str]]) -> float:
    """Labelled boxes, one per figure, from `y` down; the height below them."""
    right = A4[0] - MARGIN
    for label, value in rows:
        pdf.rect(MARGIN, y - ROW + 6, right - MARGIN, ROW, stroke=1, fill=0)
        pdf.line(MARGIN + LABEL_WIDTH, y - ROW + 6, MARGIN + LABEL_WIDTH, y + 6)
        pdf.setFont(font, 9)
        pdf.drawString(MARGIN + 6, y - 9, label)
        pdf.setFont(font, 11)
        text = fit_lines(value, font, 11, right - MARGIN - LABEL_WIDTH - 12, 1)[0]
        if value.endswith("円"):
            pdf.drawRightString(right - 8, y - 9, text)
        else:
            pdf.drawString(MARGIN + LABEL_WIDTH + 8, y - 9, text)
        y -= ROW
    return y


def _draw_classes(pdf: Canvas, font: str, y: float, report: ReferenceDateReport) -> float:
    """The figures by class (内訳): one column per class, one row per figure."""
    right = A4[0] - MARGIN
    column = (right - MARGIN - 150) / len(report.classes)
    pdf.setFont(font, 10)
    pdf.drawString(MARGIN, y, "区分別の内訳 (適用除外と無償は法の対象外: 合計に含めない)")
    y -= 16
    pdf.setFont(font, 8)
    for index, figures in enumerate(report.classes):
        x = MARGIN + 150 + column * (index + 1) - 4
        pdf.drawRightString(x, y, CLASS_LABELS[figures.voucher_class])
    values = [class_json(c) for c in report.classes]
    for key, heading in FIGURE_COLUMNS:
        y -= 13
        pdf.drawString(MARGIN, y, heading)
        for index, row in enumerate(values):
            pdf.drawRightString(MARGIN + 150 + column * (index + 1) - 4, y, yen(row[key]))
    return y - 8


def _draw_notes(
    pdf: Canvas, font: str, y: float, report: ReferenceDateReport, zone: ZoneInfo
) -> None:
    computed: datetime = report.computed_at.astimezone(zone)
    notes = [ACCEPTANCE_CHANGED_NOTE] if report.acceptance_changed_since else []
    notes += [
        "回収額 = 当社店舗での使用 + 加盟店での使用 + 払戻し + 失効 (有効期限を過ぎた残高)。",
        "基準日未使用残高 = 前基準日未使用残高 + 発行額 - 回収額 (+ 適用除外との間の譲渡)。",
        "要供託額 = 基準額を超えるとき、基準日未使用残高の2分の1 (円未満切上げ) 以上 (法14条)。",
        "基準日の終わりの時点 (ノードのタイムゾーン) の仕訳から計算しています。",
        f"作成 {computed:%Y-%m-%d %H:%M} ({zone.key})  Kippu",
    ]
    pdf.setFont(font, 8)
    for note in notes:
        pdf.drawString(MARGIN, y, note)
        y -= 12
