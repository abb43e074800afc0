"""Console forms answer a refusal on the form itself: the page is shown again with the error in
the reader's language next to the field it is about, and every value typed kept except passwords.

A refused POST re-renders its section's page (the same handler a GET runs, with the same address
parameters) with a `FailedForm` on the request; `admin_page` hands it to the template, whose
`kept`, `is_kept` and `error_for` helpers fill the form back in. Sign-in, CSRF and not-found errors
keep their own pages: they are not about what was typed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as default_of

from aiohttp import web

from node.errors import AuthError, KippuError, NotFound, ValidationError
from node.runtime import Node
from node.web.guard import read_form
from node.web.i18n import TEXTS, error_explainer
from node.web.model import Session
from node.web.pages import language

FAILED = web.RequestKey("kippu_failed_form", object)
NOT_KEPT = ("password", "csrf")  # never sent back to the browser

PageHandler = Callable[[web.Request, Node, Session], Awaitable[web.StreamResponse]]
Page = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class FailedForm:
    """A refused form: which one, the field at fault (None: the form as a whole), the message in
    the reader's language, the HTTP status, and what was typed (each field's values)."""

    form: str
    field: str | None
    message: str
    status: int
    code: str
    typed: dict[str, list[str]] = default_of(default_factory=dict)
    shown: list[str] = default_of(default_factory=list)  # where the page put the message

    def kept(self, form: str, name: str, default: str = "") -> str:
        values = self.typed.get(name) if form == self.form else None
        return values[0] if values else default

    def is_kept(self, form: str, name: str, value: str, default: bool) -> bool:
        """Whether a checkbox or option is checked: as sent on the refused form, else `default`."""
        if form != self.form:
            return default
        return value in self.typed.get(name, [])

    def error_for(self, form: str, name: str | None) -> str:
        if form == self.form and name == self.field:
            self.shown.append(f"{form}:{name}")
            return self.message
        return ""

    def form_message(self, form: str, names: tuple[str, ...] | list[str] = ()) -> str:
        """The message for the top of `form` when it names none of the form's own `names`."""
        if form == self.form and (self.field is None or self.field not in names):
            self.shown.append(form)
            return self.message
        return ""

    @property
    def is_unshown(self) -> bool:
        """A refusal whose form is not on the page (e.g. an action the page no longer offers):
        the frame shows it at the top instead, so no refusal goes unseen."""
        return bool(self.form) and not self.shown


NO_FAILURE = FailedForm("", None, "", 200, "")


def message_of(error: KippuError, lang: str, field_name: str | None) -> str:
    """The console's own wording for the code (`cf:<code>`), or for a malformed field
    (`cf_field:<field>`), else the error's translated text."""
    column = 1 if lang == "en" else 0
    own = TEXTS.get(f"cf:{error.code}")
    if own is None and isinstance(error, ValidationError) and field_name:
        own = TEXTS.get(f"cf_field:{field_name}")
    return own[column] if own is not None else error_explainer(lang)(error)


async def _typed(request: web.Request) -> dict[str, list[str]]:
    """What was sent: a POST's form, or a GET form's query (the CSV downloads)."""
    if request.method == "GET":
        data: Mapping[str, object] = request.query
    else:
        await read_form(request)
        data = await request.post()
    typed: dict[str, list[str]] = {}
    for key, value in data.items():
        if isinstance(value, str) and not any(word in key for word in NOT_KEPT):
            typed.setdefault(key, []).append(value)
    return typed


def failed_form(request: web.Request) -> FailedForm:
    found = request.get(FAILED)
    return found if isinstance(found, FailedForm) else NO_FAILURE


def shown_inline(
    form: str, page: Page, fields: dict[str, str] | None = None
) -> Callable[[PageHandler], PageHandler]:
    """Run the form's handler; on a refusal a person can act on, show `page` again with the
    error next to its field. `form` is the form's id ({account_id} and the like filled from the
    address, else from the form's fields: {peer}); `fields` names the field of codes that
    carry none (a taken login)."""

    def wrap(handler: PageHandler) -> PageHandler:
        async def run(request: web.Request, node: Node, session: Session) -> web.StreamResponse:
            try:
                return await handler(request, node, session)
            except KippuError as exc:
                if not exc.is_actionable or isinstance(exc, AuthError | NotFound):
                    raise
                name = exc.details.get("field") or (fields or {}).get(exc.code)
                field_name = str(name) if name else None
                typed = await _typed(request)
                names = {key: values[0] for key, values in typed.items() if values}
                request[FAILED] = FailedForm(
                    form.format_map(defaultdict(str, {**names, **request.match_info})),
                    field_name,
                    message_of(exc, language(request), field_name),
                    exc.http_status,
                    exc.code,
                    typed,
                )
                return await page(request)

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        return run

    return wrap
