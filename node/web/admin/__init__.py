"""The operations console (運用管理) for head office: one module per section, each with its routes."""

from __future__ import annotations

from aiohttp import web

from node.web.admin import (
    analytics,
    audit,
    campaign_banks,
    campaign_gates,
    campaign_payouts,
    campaign_serials,
    campaigns,
    campaigns_status,
    campaigns_stores,
    compliance_report,
    dashboard,
    keys,
    mail,
    mail_drafts,
    partners,
    payments,
    points,
    points_campaigns,
    points_exchange,
    points_figures,
    points_lottery,
    points_members,
    points_ranks,
    points_reports,
    products,
    records,
    segments,
    settlement,
    store_applications,
    stores,
    webhooks,
)


def routes() -> list[web.RouteDef]:
    return [
        *dashboard.routes(),
        *stores.routes(),
        *records.routes(),
        *partners.routes(),
        *audit.routes(),
        *settlement.routes(),
        *keys.routes(),
        *products.routes(),
        *compliance_report.routes(),
        *payments.routes(),
        *points.routes(),
        *points_campaigns.routes(),
        *points_members.routes(),
        *points_ranks.routes(),
        *points_figures.routes(),
        *webhooks.routes(),
        *points_exchange.routes(),
        *points_lottery.routes(),
        *points_reports.routes(),
        *analytics.routes(),
        *segments.routes(),
        *mail_drafts.routes(),  # before mail: /admin/mail/new is no mail's id
        *mail.routes(),
        *campaigns.routes(),
        *campaigns_stores.routes(),
        *store_applications.routes(),  # before campaigns_status: /stores is no campaign's id
        *campaigns_status.routes(),
        *campaign_serials.routes(),
        *campaign_gates.routes(),
        *campaign_payouts.routes(),
        *campaign_banks.routes(),
    ]
