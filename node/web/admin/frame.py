"""What every console page shares: the navigation frame, the notice after an action, redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from node.runtime import Node
from node.web.admin.form_errors import NO_FAILURE, failed_form
from node.web.i18n import TEXTS
from node.web.model import Session
from node.web.pages import render
from node.web.signin import see_other

DONE_PREFIX = "done_"  # notices are text keys, so nothing from the address reaches the page as text


def admin_page(
    request: web.Request,
    node: Node,
    session: Session,
    template: str,
    context: dict[str, Any],
    *,
    section: str,
    status: int = 200,
) -> web.Response:
    """Render a console page inside the frame; `section` is the navigation entry to highlight."""
    done = request.query.get("done", "")
    failed = failed_form(request)
    full = {
        "account": session.account,
        "name": node.config.node.name,
        "section": section,
        "notice": done if done.startswith(DONE_PREFIX) and done in TEXTS else None,
        "failed": failed,
        "kept": failed.kept,
        "is_kept": failed.is_kept,
        "error_for": failed.error_for,
        **context,
    }
    if failed is not NO_FAILURE:
        status = failed.status
    return render(request, template, full, zone=node.config.zone, csrf=session.csrf, status=status)


def after_action(path: str, done: str, **params: str) -> web.Response:
    """Post/redirect/get: back to `path` with the notice `done` (a text key starting done_)."""
    if not done.startswith(DONE_PREFIX) or done not in TEXTS:
        raise ValueError(f"unknown notice {done!r}")
    return see_other(f"{path}?{urlencode({**params, 'done': done})}")
