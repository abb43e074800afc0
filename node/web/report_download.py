"""The 基準日 report as an HTTP answer in the format asked for: JSON, or a CSV or PDF download
named after its 基準日 (the admin API's and the console's)."""

from __future__ import annotations

import asyncio

from aiohttp import web

from node.compliance.reference_date import ReferenceDateReport
from node.compliance.report_output import report_csv, report_json
from node.errors import ValidationError
from node.runtime import Node
from node.web.pdf_fonts import find_font
from node.web.report_pdf import render_report

FORMATS = ("json", "csv", "pdf")


def requested_format(value: str | None) -> str:
    if value is None:
        return "json"
    if value not in FORMATS:
        raise ValidationError("`format` must be json, csv or pdf.", field="format")
    return value


def file_name(report: ReferenceDateReport, extension: str) -> str:
    return f"kijunbi-{report.period.reference_date.isoformat()}.{extension}"


async def report_response(node: Node, report: ReferenceDateReport, fmt: str) -> web.Response:
    """The report in `fmt`, a CSV or PDF as a download named after its 基準日."""
    if fmt == "json":
        return web.json_response(report_json(report))
    if fmt == "csv":
        body = report_csv(report).encode("utf-8-sig")  # with a BOM: Excel reads it as UTF-8
        content_type = "text/csv"
    else:
        font = find_font(node.config.web.receipt_font)
        body = await asyncio.to_thread(render_report, report, node.config.zone, font)
        content_type = "application/pdf"
    disposition = f'attachment; filename="{file_name(report, fmt)}"'
    return web.Response(
        body=body,
        content_type=content_type,
        charset="utf-8" if fmt == "csv" else None,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )
