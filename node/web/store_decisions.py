"""The office's decision on a store application, with the applicant's mail: one path for the
console (node/web/admin/store_applications.py) and the admin API (store_applications_api.py,
which `kippu store approve` and `reject` call), so a store approved either way is made, coded
and mailed alike. The decision is durable before the mail is tried; `is_mailed` says whether the
mail went (without an SMTP server it goes to the log, node/web/store_mail.py)."""

from __future__ import annotations

from dataclasses import dataclass

from node.campaigns import store_actions
from node.campaigns.store_model import StoreApplication
from node.runtime import Node
from node.web import store_mail
from node.web.brand import page_brand


@dataclass(frozen=True)
class Decision:
    application: StoreApplication  # as decided
    store_code: str | None  # an approval's
    is_mailed: bool


async def approve(node: Node, application_id: str, actor: str) -> Decision:
    approval = await store_actions.approve(node, application_id, actor)
    message = store_mail.approval_message(
        node.config.web, page_brand(node.config), approval.application, approval.store_code
    )
    sent = await store_mail.send(node.config.web, message)
    return Decision(approval.application, approval.store_code, sent)


async def reject(node: Node, application_id: str, reason: str, actor: str) -> Decision:
    rejected = await store_actions.reject(node, application_id, reason, actor)
    message = store_mail.rejection_message(node.config.web, page_brand(node.config), rejected)
    sent = await store_mail.send(node.config.web, message)
    return Decision(rejected, None, sent)
