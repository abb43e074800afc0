"""The public page where a shop applies to take part in the office's campaigns (加盟店申込,
/stores/apply, no sign-in), in the reader's language. The office reviews applications in the
console (node/web/admin/store_applications.py), the admin API and `kippu store applications`
(node/web/store_applications_api.py).

Anyone may send the form, and each application is a row the office must review, so every send is
counted per client address before it is checked (node/web/throttle.py AddressThrottle): past the
limit it is refused with `campaign.store_apply_throttled` (429, Retry-After) and nothing is kept."""

from __future__ import annotations

from aiohttp import web

from node.campaigns import store_actions
from node.campaigns.bank import AccountType
from node.campaigns.store_core import ApplicationInput
from node.campaigns.store_model import StoreCategory
from node.client_address import request_client_address
from node.errors import KippuError, StoreApplicationsThrottled, Throttled
from node.runtime import NODE
from node.web.campaign_render import in_reader_language, render_campaign_page
from node.web.campaign_words import N_
from node.web.guard import check_pre_form, pre_token, with_pre_cookie
from node.web.throttle import AddressThrottle

PAGE = "/stores/apply"
APPLY_THROTTLE = web.AppKey("kippu_store_apply_throttle", AddressThrottle)
# Sends per hour: 30 from one address (an office that helps its shops apply from one PC still
# fits), 100 from one IPv6 /48 (one site: an attacker gets 2^16 /64s with one).
APPLY_ADDRESS_LIMIT, APPLY_SITE_LIMIT, APPLY_WINDOW_S = 30, 100, 60 * 60
FIELDS = (
    "store_name",
    "store_address",
    "store_category",
    "store_email",
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
    "holder_kana",
)
MAX_FIELD_CHARS = 300

# A category as the applicant reads it, by its stored (Japanese) value.
CATEGORY_NAMES = {
    StoreCategory.FOOD_SERVICE: N_("Restaurants and cafés"),
    StoreCategory.RETAIL: N_("Retail"),
    StoreCategory.GROCERY: N_("Groceries"),
    StoreCategory.BEAUTY: N_("Hair and beauty"),
    StoreCategory.LODGING: N_("Lodging"),
    StoreCategory.SERVICE: N_("Services"),
    StoreCategory.OTHER: N_("Other"),
}
ACCOUNT_TYPE_NAMES = {
    AccountType.ORDINARY: N_("Ordinary (futsū)"),
    AccountType.CURRENT: N_("Current (tōza)"),
}


def install_throttle(app: web.Application) -> None:
    app[APPLY_THROTTLE] = AddressThrottle(
        address_limit=APPLY_ADDRESS_LIMIT, site_limit=APPLY_SITE_LIMIT, window_s=APPLY_WINDOW_S
    )


def _count_send(request: web.Request) -> None:
    """Count this send against its client address, or refuse it (StoreApplicationsThrottled)."""
    node = request.app[NODE]
    address = request_client_address(request, node.config.web.trusted_proxies)
    try:
        request.app[APPLY_THROTTLE].attempt(address, node.clock.now().timestamp())
    except Throttled as exc:
        raise StoreApplicationsThrottled(retry_after_s=exc.details["retry_after_s"]) from exc


def _form_page(
    request: web.Request, kept: dict[str, str], error: KippuError | None
) -> web.StreamResponse:
    page = render_campaign_page(
        request,
        "campaigns/store_apply.html",
        {
            "kept": kept,
            "error": error,
            "categories": CATEGORY_NAMES,
            "account_types": ACCOUNT_TYPE_NAMES,
        },
        csrf=pre_token(request),
        status=error.http_status if error is not None else 200,
    )
    if isinstance(error, StoreApplicationsThrottled):
        page.headers["Retry-After"] = str(error.details["retry_after_s"])
    return with_pre_cookie(request, page)


@in_reader_language(home=PAGE)
async def apply_form(request: web.Request) -> web.StreamResponse:
    return _form_page(request, {}, None)


@in_reader_language(home=PAGE)
async def apply(request: web.Request) -> web.StreamResponse:
    node = request.app[NODE]
    form = await check_pre_form(request)
    kept = {key: form.get(key, "")[:MAX_FIELD_CHARS] for key in (*FIELDS, "store_local")}
    try:
        _count_send(request)
        application = await store_actions.apply(
            node,
            ApplicationInput(
                name=kept["store_name"],
                address=kept["store_address"],
                category=kept["store_category"],
                wants_local=kept["store_local"] == "1",
                email=kept["store_email"],
                bank_code=kept["bank_code"],
                branch_code=kept["branch_code"],
                account_type=kept["account_type"],
                account_number=kept["account_number"],
                holder_kana=kept["holder_kana"],
            ),
        )
    except KippuError as exc:
        if not exc.is_actionable:
            raise
        return _form_page(request, kept, exc)
    return render_campaign_page(
        request, "campaigns/store_applied.html", {"application": application}
    )


def routes() -> list[web.RouteDef]:
    return [web.get(PAGE, apply_form), web.post(PAGE, apply)]
