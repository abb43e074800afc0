"""A small synchronous client of the node's admin API, used by the CLI and the demo."""

from __future__ import annotations

import contextlib
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from node.config import Config, load_config
from node.errors import ApiRefused, NodeUnavailable
from node.home import NodeHome, read_admin_token

TIMEOUT_S = 30.0
REPORT_TIMEOUT_S = 600.0


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
    timeout_s: float = TIMEOUT_S  # a report over a large company may take longer (REPORT_TIMEOUT_S)

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

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        with self._open(method, path, body, headers) as response:
            return _decode(response.read())

    def get_bytes(self, path: str) -> bytes:
        """A small non-JSON answer (a CSV), whole."""
        with self._open("GET", path, None) as response:
            return bytes(response.read())

    def download(self, path: str, out: Path) -> int:
        """Stream a binary answer into `out` (written beside it, then renamed); returns its size."""
        partial = out.with_name(out.name + ".part")
        size = 0
        with self._open("GET", path, None) as response, partial.open("wb") as sink:
            while chunk := response.read(1 << 16):
                sink.write(chunk)
                size += len(chunk)
        partial.replace(out)
        return size

    @contextlib.contextmanager
    def _open(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        headers: Mapping[str, str] | None = None,
    ) -> Iterator[http.client.HTTPResponse]:
        url = self.base_url + "/api/v1/" + path.lstrip("/")
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - http(s) only
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if self.token is not None:
            req.add_header("Authorization", f"Bearer {self.token}")
        for name, value in (headers or {}).items():
            req.add_header(name, value)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as response:  # noqa: S310
                yield response
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
