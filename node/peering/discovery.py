"""LAN discovery over zeroconf (`_kippu._tcp.local.`): finds nodes, never trusts them.

A running node advertises its name, URL and node id. `kippu peer discover` lists what it sees with
the fingerprint computed from the advertised key, for the admin to compare with the partner out of
band before `kippu peer add`. Nothing here registers a partner.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from zeroconf import InterfaceChoice, IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

from node.identity import decode_node_id, fingerprint

SERVICE_TYPE = "_kippu._tcp.local."
MAX_INSTANCE_BYTES = 63
MAX_TXT_STRING_BYTES = 255  # one DNS TXT string, "key=value" included (RFC 6763 6.1)


@dataclass(frozen=True)
class SeenNode:
    name: str
    url: str
    node_id: str
    fingerprint: str


def _interfaces(interfaces: tuple[str, ...]) -> Any:
    return list(interfaces) if interfaces else InterfaceChoice.All


def _instance_name(name: str, node_id: str) -> str:
    """A readable, unique service instance name within DNS-SD's 63-byte label limit."""
    suffix = f" {node_id[:8]}"
    text = name.replace(".", " ")
    while len((text + suffix).encode("utf-8")) > MAX_INSTANCE_BYTES:
        text = text[:-1]
    return f"{text}{suffix}.{SERVICE_TYPE}"


def _addresses(host: str) -> list[bytes]:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return []
    if address.is_unspecified:
        with contextlib.suppress(OSError):
            return [socket.inet_aton(socket.gethostbyname(socket.gethostname()))]
        return []
    return [address.packed]


def _txt_value(key: str, value: str) -> str:
    """`value` cut at a character boundary so that `key=value` fits one TXT string."""
    room = MAX_TXT_STRING_BYTES - len(key.encode("utf-8")) - 1
    return value.encode("utf-8")[:room].decode("utf-8", "ignore")


def _properties(name: str, url: str, node_id: str) -> dict[str, str]:
    """The TXT record. A long name is shortened (it is only shown); a URL must fit whole."""
    if len(f"url={url}".encode()) > MAX_TXT_STRING_BYTES:
        raise OSError(f"node.public_url is longer than {MAX_TXT_STRING_BYTES - 4} bytes")
    return {"name": _txt_value("name", name), "url": url, "node_id": node_id}


@contextlib.asynccontextmanager
async def advertised(
    name: str, node_id: str, url: str, host: str, port: int, interfaces: tuple[str, ...]
) -> AsyncIterator[None]:
    """Announce this node on the LAN while the context is open."""
    info = AsyncServiceInfo(
        SERVICE_TYPE,
        _instance_name(name, node_id),
        addresses=_addresses(host),
        port=port,
        properties=_properties(name, url, node_id),  # refused before any socket is opened
    )
    zc = AsyncZeroconf(interfaces=_interfaces(interfaces), ip_version=IPVersion.V4Only)
    await zc.async_register_service(info)
    try:
        yield
    finally:
        # Unregistering only schedules the goodbye; closing before it went out cancelled it, and
        # other browsers kept the node for its record's TTL. Await the goodbye itself, then close.
        goodbye = await zc.async_unregister_service(info)
        await goodbye
        await zc.async_close()


async def discover(timeout_s: float, interfaces: tuple[str, ...]) -> list[SeenNode]:
    """Browse for `timeout_s` seconds; return every node that answered with a valid node id."""
    zc = AsyncZeroconf(interfaces=_interfaces(interfaces), ip_version=IPVersion.V4Only)
    names: set[str] = set()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is not ServiceStateChange.Removed:
            names.add(name)

    browser = AsyncServiceBrowser(zc.zeroconf, SERVICE_TYPE, handlers=[on_change])
    try:
        await asyncio.sleep(timeout_s)
        seen = [await _resolve(zc, name) for name in sorted(names)]
    finally:
        await browser.async_cancel()
        await zc.async_close()
    return [node for node in seen if node is not None]


async def _resolve(zc: AsyncZeroconf, name: str) -> SeenNode | None:
    info = AsyncServiceInfo(SERVICE_TYPE, name)
    if not await info.async_request(zc.zeroconf, 3000):
        return None
    props = {
        k.decode("utf-8", "replace"): (v or b"").decode("utf-8", "replace")
        for k, v in info.properties.items()
    }
    node_id = props.get("node_id", "")
    try:
        key = decode_node_id(node_id)
    except ValueError:
        return None  # not a Kippu node, or a broken advertisement: ignore it
    return SeenNode(props.get("name", ""), props.get("url", ""), node_id, fingerprint(key))
