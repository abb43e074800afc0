"""The client's address, for the whole node: the direct peer, or behind a trusted proxy the client
that proxy names in X-Forwarded-For.

Only a proxy listed in `web.trusted_proxies` is believed: from any other peer the header is
ignored, since anyone can send it. Each proxy appends the address it received the request from,
so the list is read from the right, skipping our own proxies; the first address that is not one
of them is the client. Entries to its left were written by the client itself and are never used.
"""

from __future__ import annotations

import ipaddress

from aiohttp import web

from node.config import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"  # a peer without an IP address (a Unix socket): throttled as one address


def client_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[IPNetwork, ...]
) -> str:
    """The address to count a client's requests by; see the module docstring."""
    hop = _address(peer)
    if hop is None:
        return peer or UNKNOWN
    if not _is_trusted(hop, trusted) or not forwarded_for:
        return str(hop)
    for entry in reversed(forwarded_for.split(",")):
        named = _address(entry)
        if named is None:  # unreadable: the last proxy we trust is the best we know
            return str(hop)
        hop = named
        if not _is_trusted(hop, trusted):
            return str(hop)
    return str(hop)  # every hop is ours: the leftmost is the client


def request_client_address(request: web.Request, trusted: tuple[IPNetwork, ...]) -> str:
    """The client's address of a request (throttles, limits, logs), given `web.trusted_proxies`."""
    forwarded = ",".join(request.headers.getall("X-Forwarded-For", ()))
    return client_address(request.remote, forwarded, trusted)


def is_trusted_proxy(peer: str, trusted: tuple[IPNetwork, ...]) -> bool:
    """Whether a direct peer's address is one of `web.trusted_proxies`."""
    address = _address(peer)
    return address is not None and _is_trusted(address, trusted)


def _is_trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address.version == net.version and address in net for net in trusted)


def _address(text: str | None) -> IPAddress | None:
    """An address as a proxy writes it: bare, `[v6]:port` or `v4:port`; None if unreadable."""
    if not text:
        return None
    cleaned = text.strip()
    if cleaned.startswith("["):
        cleaned = cleaned[1:].partition("]")[0]
    elif cleaned.count(":") == 1:
        cleaned = cleaned.partition(":")[0]
    try:
        found = ipaddress.ip_address(cleaned.partition("%")[0])
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found
