"""Whose address a request is counted by: the peer, or the client a trusted proxy names
(issue 13, item 2); and the `web.trusted_proxies` setting's errors."""

from __future__ import annotations

import ipaddress

import pytest

from node.client_address import client_address
from node.config import config_from_dict
from node.errors import ConfigError

NODE = {"name": "Test Izakaya"}
TRUSTED = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


@pytest.mark.parametrize(
    ("peer", "header", "expected"),
    [
        ("192.0.2.9", "198.51.100.1", "192.0.2.9"),  # an untrusted peer: its header is ignored
        ("10.0.0.2", None, "10.0.0.2"),  # the proxy itself, no header
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "203.0.113.5, 198.51.100.1", "198.51.100.1"),  # the client's own entry: no
        ("10.0.0.2", "198.51.100.1, 10.1.1.1", "198.51.100.1"),  # two proxies of ours
        ("10.0.0.2", "10.3.3.3, 10.1.1.1", "10.3.3.3"),  # every hop ours: the leftmost
        ("10.0.0.2", "not-an-ip, 10.1.1.1", "10.1.1.1"),  # unreadable: the last one we trust
        ("10.0.0.2", "198.51.100.1:4711", "198.51.100.1"),
        ("::1", "[2001:db8::7]:443", "2001:db8::7"),
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),  # IPv4 on a dual-stack socket
        (None, "198.51.100.1", "unknown"),
    ],
)
def test_the_rightmost_untrusted_hop_is_the_client(
    peer: str | None, header: str | None, expected: str
) -> None:
    assert client_address(peer, header, TRUSTED) == expected


def test_trusted_proxies_are_read_and_bad_ones_named() -> None:
    config = config_from_dict(
        {"node": NODE, "web": {"trusted_proxies": ["127.0.0.1", "10.0.0.0/8", "::1"]}}
    )
    assert [str(n) for n in config.web.trusted_proxies] == ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {"node": NODE, "web": {"trusted_proxies": ["proxy.local", "10.0.0.1/8", 7]}}
        )
    problems = caught.value.problems
    assert len(problems) == 3
    assert all(p.startswith("web.trusted_proxies:") for p in problems)
    assert "'10.0.0.1/8'" in problems[1] and "host bits" in problems[1]
    with pytest.raises(ConfigError, match=r"web\.trusted_proxies must be a list"):
        config_from_dict({"node": NODE, "web": {"trusted_proxies": "127.0.0.1"}})
