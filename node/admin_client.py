"""A small synchronous client of the node's admin API, used by the CLI and the demo."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from node.config import Config, load_config
from node.errors import KippuError, NodeUnavailable
from node.home import NodeHome, read_admin_token

TIMEOUT_S = 30.0


class ApiRefused(KippuError):
    """The node refused the request; the message says why."""

    def __init__(self, code: str, message: str, http_status: int, body: dict[str, Any]) -> None:
        super().__init__(message)
        self.refused_code = code
        self.status = http_status
        self.body = body


def local_base_url(config: Config) -> str:
    """Where the CLI reaches the node: its listen address, with a wildcard host made loopback."""
    host = config.node.listen.host
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{config.node.listen.port}"


@dataclass(frozen=True)
class AdminClient:
    base_url: str
    token: str | None

    @classmethod
    def for_home(cls, home: NodeHome) -> AdminClient:
        return cls(local_base_url(load_config(home.config_path)), read_admin_token(home))

    def get(self, path: str, **query: str | None) -> dict[str, Any]:
        params = {k: v for k, v in query.items() if v is not None}
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        return self.request("GET", path)

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.request("POST", path, {} if body is None else body)

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = self.base_url + "/api/v1/" + path.lstrip("/")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - http(s) only
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token is not None:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT_S) as response:  # noqa: S310
                return _decode(response.read())
        except urllib.error.HTTPError as exc:
            payload = _decode(exc.read())
            error = payload.get("error", {})
            raise ApiRefused(
                str(error.get("code", "http.error")),
                str(error.get("message", f"HTTP {exc.code}")),
                exc.code,
                payload,
            ) from None
        except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
            raise NodeUnavailable(
                f"Cannot reach the node at {self.base_url}; is `kippu serve` running?"
            ) from exc


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
