"""The [crm] table of config.toml: the figures the customer analytics assume."""

from __future__ import annotations

from typing import TYPE_CHECKING

from node.config.model import CrmConfig

if TYPE_CHECKING:
    from node.config.reading import _Reader

CRM_KEYS = {"margin_percent", "keep_reports_ready"}


def read_crm(r: _Reader) -> CrmConfig:
    margin = r.get("crm", "margin_percent", int, CrmConfig().margin_percent)
    r.check(0 <= margin <= 100, "crm.margin_percent must be 0..100")
    ready = r.get("crm", "keep_reports_ready", bool, CrmConfig().keep_reports_ready)
    return CrmConfig(margin_percent=margin, keep_reports_ready=ready)
