"""Who may do what: the admin token, web sign-in, roles, throttling, staff logins."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound


class AuthError(KippuError):
    """Authentication is required."""

    code = "auth.required"
    http_status = 401
    areas = ("auth",)
    is_actionable = True


class MissingToken(AuthError):
    """No admin token was sent; use the CLI on the node's machine or send the token file's value."""

    code = "auth.missing_token"


class InvalidToken(AuthError):
    """The admin token is wrong; the node writes a new one each time it starts."""

    code = "auth.invalid_token"


class NotSignedIn(AuthError):
    """Please sign in first."""

    code = "auth.not_signed_in"


class BadCredentials(AuthError):
    """The login name or password is wrong."""

    code = "auth.bad_credentials"


class LinkInvalid(AuthError):
    """This sign-in link is wrong, used or expired; ask for a new one."""

    code = "auth.link_invalid"


class Forbidden(AuthError):
    """Your account may not do this."""

    code = "auth.forbidden"
    http_status = 403


class CsrfRejected(AuthError):
    """The form was out of date or not sent by this site; reload the page and try again."""

    code = "auth.csrf"
    http_status = 403


class Throttled(AuthError):
    """Too many attempts; wait a few minutes and try again."""

    code = "auth.throttled"
    http_status = 429


class LoginTaken(KippuError):
    """That login name is taken (by another staff member, or `admin`, the head office's); choose
    another."""

    code = "account.login_taken"
    http_status = 409
    areas = ("account",)
    is_actionable = True


class AccountNotFound(NotFound):
    """No staff account with that id; the console's stores and staff page lists them."""

    code = "account.not_found"


class ApiKeyUnknown(AuthError):
    """This integration key is not known to this node; check that it was copied whole, or make a
    new one (console: API keys, or `kippu apikey create`)."""

    code = "auth.key_unknown"


class ApiKeyRevoked(AuthError):
    """This integration key was revoked; ask head office for a new one."""

    code = "auth.key_revoked"


class ApiKeyReadOnly(AuthError):
    """This integration key may only read; a POS that issues, redeems or voids needs a write
    key."""

    code = "auth.key_read_only"
    http_status = 403


class ApiKeyNotAllowed(AuthError):
    """Integration keys may not do this: it needs the node's admin token (keys, staff, stores,
    partners, settlement and audit are head office's)."""

    code = "auth.key_not_allowed"
    http_status = 403


class ApiKeyNameTaken(AuthError):
    """An integration key with that name is in use; choose another name, or revoke the old key
    first."""

    code = "auth.key_name_taken"
    http_status = 409


class ApiKeyNotFound(NotFound):
    """No integration key in use has that name; the list of keys shows them."""

    code = "auth.key_not_found"
