"""The two kind branches: a request that is malformed (ValidationError) and a thing that is
not there (NotFound). Their members name the area of what was wrong or missing in their codes."""

from __future__ import annotations

from node.errors.base import KippuError


class ValidationError(KippuError):
    """The request is malformed; correct it and try again."""

    code = "request.invalid"
    http_status = 400
    areas = ("request",)
    holds_every_area = True
    is_actionable = True


class InvalidJson(ValidationError):
    """The request body must be one JSON object."""

    code = "request.invalid_json"


class InvalidText(ValidationError):
    """Text must be printable: no control or invisible characters, line separators or lone surrogates."""

    code = "request.invalid_text"


class InvalidAmount(ValidationError):
    """The amount must be a whole number of yen, at least 1."""

    code = "request.invalid_amount"


class InvalidDate(ValidationError):
    """The date must be a real calendar date written YYYY-MM-DD."""

    code = "request.invalid_date"
    http_status = 422


class DateInFuture(ValidationError):
    """The day must be today or before: there is nothing to report for a day still to come."""

    code = "request.date_in_future"
    http_status = 422


class WeakPassword(ValidationError):
    """This password has too few different characters; choose a longer, more varied one."""

    code = "request.weak_password"
    http_status = 422


class NotFound(KippuError):
    """Nothing with that id exists on this node."""

    code = "request.not_found"
    http_status = 404
    areas = ("request",)
    holds_every_area = True
    is_actionable = True


class RouteNotFound(NotFound):
    """There is no such API route; see /api/v1/openapi.json."""

    code = "request.no_route"


class PageNotFound(NotFound):
    """There is no page at this address; check it, or go back to your home page."""

    code = "request.no_page"
