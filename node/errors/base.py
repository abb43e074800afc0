"""The root of the error tree: KippuError, its code, HTTP status and JSON shape, and the internal
errors (a bug in the node: logged, never shown)."""

from __future__ import annotations

from typing import Any, ClassVar


def default_message(cls: type[KippuError]) -> str:
    """The class docstring as one line: a docstring wrapped in the source must not carry its
    line breaks and indentation into replies, JSON errors or pages."""
    return " ".join((cls.__doc__ or cls.code).split())


class KippuError(Exception):
    """Something went wrong inside the node; it has been logged."""

    code: ClassVar[str] = "internal.error"
    http_status: ClassVar[int] = 500
    # The first part of the codes under a top-level branch ("peer" for peer.*). The two kind
    # branches (ValidationError, NotFound) hold every area: their members' codes name the area of
    # what was wrong or missing. tests/test_error_tree.py holds every class to its branch.
    areas: ClassVar[tuple[str, ...]] = ("internal",)
    holds_every_area: ClassVar[bool] = False
    # Whether the person who sees this error can act on it: then its code and message reach the
    # JSON API, the pages and the CLI, whatever its status (a 503 for a missing font, a full
    # disk). An error that is not actionable is a bug or broken state: logged, answered
    # "internal error".
    is_actionable: ClassVar[bool] = False

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or default_message(type(self))
        self.details = details
        super().__init__(self.message)

    def to_json(self) -> dict[str, Any]:
        """The one JSON error shape: {"error": {"code", "message", ...details}}."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        body.update(self.details)
        return {"error": body}


class IllegalTransition(KippuError):
    """A voucher was asked to change status in a way the lifecycle forbids (a bug; logged)."""

    code = "internal.illegal_transition"


class StoreMismatch(KippuError):
    """The database disagrees with the ledger rules about a balance (a bug; logged, rolled back)."""

    code = "internal.store_mismatch"


def shown_to_user(error: KippuError) -> KippuError:
    """What a person sees of `error`: the error itself if they can act on it, whatever its status
    (a full disk, a missing font), else "internal error" (the caller logs the real one)."""
    return error if error.is_actionable else KippuError("internal error")
