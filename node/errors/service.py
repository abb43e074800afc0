"""The node as a running service: what it cannot do now, or will not start without."""

from __future__ import annotations

from typing import Any

from node.errors.base import KippuError


class ConfigError(KippuError):
    """The node's configuration is invalid; fix the listed keys in config.toml."""

    code = "config.invalid"
    areas = ("config",)
    is_actionable = True

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems), problems=problems)


class RotationUnresolved(KippuError):
    """A key rotation was interrupted and the database cannot tell whether partners were told of
    the new key; the staged key (node.key.next) was kept. Repair or restore the database
    (docs/operations.md), then start the node again."""

    code = "node.rotation_unresolved"
    areas = ("node",)
    is_actionable = True


class NodeUnavailable(KippuError):
    """The node is not running or not reachable; start it with `kippu serve`."""

    code = "node.unavailable"
    http_status = 503
    areas = ("node",)
    is_actionable = True


class TooManyConnections(KippuError):
    """Too many connections are open from your address (or to this node); close idle ones and
    try again in a moment. Behind a reverse proxy, raise server.max_connections_per_address."""

    code = "server.too_many_connections"
    http_status = 503
    areas = ("server",)
    is_actionable = True


class ReceiptUnavailable(KippuError):
    """Receipts cannot be made: the node has no Japanese font (install Debian's
    fonts-ipafont-gothic or set web.receipt_font)."""

    code = "receipt.unavailable"
    http_status = 503
    areas = ("receipt",)
    is_actionable = True


class ApiRefused(KippuError):
    """The node refused the request; the message says why."""

    # What the CLI and the demo raise for a refusal of the node's admin API: the node's own code
    # is `refused_code`, the one the CLI prints.
    code = "node.refused"
    areas = ("node",)
    is_actionable = True

    def __init__(self, code: str, message: str, http_status: int, body: dict[str, Any]) -> None:
        super().__init__(message)
        self.refused_code = code
        self.status = http_status
        self.body = body
