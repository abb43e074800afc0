"""HTTPS served by the node itself, from a certificate and key named in config.toml."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ipaddress
import re
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from node.config import ListenAddress, load_config, render_config
from node.demo import free_port
from node.errors import ConfigError
from node.relay.backend import socket_path
from node.relay.front import start_relay
from node.relay.link import NodeLink
from node.runtime import Node
from node.server import load_node, start
from tests.conftest import FakeClock, SeededRandomness, make_home

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@dataclass(frozen=True)
class Pki:
    ca: Path
    certificate: Path
    key: Path
    other_key: Path


def _name(text: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])


def make_pki(root: Path) -> Pki:
    """A test CA and a server certificate for 127.0.0.1 signed by it (cryptography, in memory)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Kippu test CA"))
        .issuer_name(_name("Kippu test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(LOOPBACK)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    root.mkdir()
    pki = Pki(root / "ca.pem", root / "node.pem", root / "node.key", root / "other.key")
    pki.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    pki.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    for path, private in ((pki.key, key), (pki.other_key, ec.generate_private_key(ec.SECP256R1()))):
        path.write_bytes(
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return pki


def tls_config(port: int, certificate: str, key: str, scheme: str = "https") -> str:
    text = render_config("TLS Shop", ListenAddress("127.0.0.1", port))
    text = text.replace('public_url = "http://', f'public_url = "{scheme}://')
    text = re.sub(r'^tls_certificate = ""$', f'tls_certificate = "{certificate}"', text, flags=re.M)
    return re.sub(r'^tls_key = ""$', f'tls_key = "{key}"', text, flags=re.M)


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return make_pki(tmp_path / "pki")


@pytest.fixture
async def https_url(tmp_path: Path, pki: Pki) -> AsyncIterator[tuple[str, str]]:
    port = free_port()
    home = make_home(tmp_path / "node")
    home.config_path.write_text(
        tls_config(port, str(pki.certificate), str(pki.key)), encoding="utf-8"
    )
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    try:
        yield f"https://127.0.0.1:{port}", node.admin_token
    finally:
        await runner.cleanup()


async def test_the_api_answers_over_https_to_a_client_that_trusts_the_ca(
    https_url: tuple[str, str], pki: Pki
) -> None:
    url, token = https_url
    trusting = ssl.create_default_context(cafile=str(pki.ca))
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trusting)) as session:
        headers = {"Authorization": f"Bearer {token}"}
        async with session.get(f"{url}/api/v1/status", headers=headers) as response:
            assert response.status == 200
            assert (await response.json())["name"] == "TLS Shop"
        async with session.get(f"{url}/staff/login") as response:
            assert response.status == 200
            cookies = response.headers.getall("Set-Cookie")
            assert cookies and all("Secure" in cookie for cookie in cookies)


async def test_plain_http_and_untrusted_clients_are_refused(
    https_url: tuple[str, str], pki: Pki
) -> None:
    url, _ = https_url
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientError):  # speaks HTTP to a TLS port
            async with session.get(url.replace("https://", "http://") + "/staff/login"):
                pass
        with pytest.raises(aiohttp.ClientConnectorCertificateError):  # no trust in the test CA
            async with session.get(f"{url}/staff/login"):
                pass


def test_tls_settings_are_checked_when_the_config_loads(tmp_path: Path, pki: Pki) -> None:
    path = tmp_path / "config.toml"
    cases = {
        "server.tls_certificate and server.tls_key must be set together": (
            str(pki.certificate),
            "",
        ),
        "server.tls_key: '/nowhere/node.key' is not a readable file": (
            str(pki.certificate),
            "/nowhere/node.key",
        ),
        "cannot be loaded together": (str(pki.certificate), str(pki.other_key)),
        "cannot be loaded together ": (str(pki.key), str(pki.key)),  # a key is no certificate
    }
    for expected, (certificate, key) in cases.items():
        path.write_text(tls_config(8470, certificate, key), encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_config(path)
        assert any(expected.strip() in problem for problem in caught.value.problems), (
            expected,
            caught.value.problems,
        )
    path.write_text(tls_config(8470, str(pki.certificate), str(pki.key), "http"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        "node.public_url must start with https:// when server.tls_certificate is set"
    ]
    path.write_text(tls_config(8470, str(pki.certificate), str(pki.key)), encoding="utf-8")
    assert load_config(path).server.has_tls


ATTACKER = "127.0.0.2"  # another loopback source address, so the per-address cap applies to it


@asynccontextmanager
async def tls_node(tmp_path: Path, pki: Pki, **settings: int) -> AsyncIterator[tuple[Node, str]]:
    """A node serving TLS in this event loop with the [server] settings named changed."""
    port = free_port()
    home = make_home(tmp_path / "node")
    text = tls_config(port, str(pki.certificate), str(pki.key))
    for key, setting in settings.items():
        text, found = re.subn(rf"^{key} = .*$", f"{key} = {setting}", text, flags=re.M)
        assert found == 1, key
    home.config_path.write_text(text, encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", port)
    try:
        yield node, f"https://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def silent_connections(
    url: str, count: int, stack: contextlib.AsyncExitStack, first_bytes: bytes = b""
) -> list[asyncio.StreamReader]:
    """TCP connections to the TLS port that never finish (or never start) a ClientHello."""
    host, port = url.removeprefix("https://").rsplit(":", 1)
    readers = []
    for _ in range(count):  # one after the other: the node accepts them in this order
        reader, writer = await asyncio.open_connection(host, int(port), local_addr=(ATTACKER, 0))
        stack.push_async_callback(_close, writer)
        writer.write(first_bytes)
        readers.append(reader)
    return readers


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


async def served_over_tls(url: str, pki: Pki, token: str) -> int:
    """One real TLS client from 127.0.0.1, as a counter's browser would connect."""
    trusting = ssl.create_default_context(cafile=str(pki.ca))
    connector = aiohttp.TCPConnector(ssl=trusting, force_close=True)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.get(
            f"{url}/api/v1/status", headers={"Authorization": f"Bearer {token}"}
        ) as response,
    ):
        return response.status


async def test_tls_connections_are_capped_per_address_before_their_handshake(
    tmp_path: Path, pki: Pki
) -> None:
    """A connection that never sends its ClientHello already holds a descriptor: it counts."""
    async with (
        tls_node(tmp_path, pki, max_connections_per_address=5, head_timeout_seconds=300) as (
            node,
            url,
        ),
        contextlib.AsyncExitStack() as stack,
    ):
        guard = node.connections
        assert guard is not None
        await silent_connections(url, 5, stack)
        over = await silent_connections(url, 3, stack)
        for reader in over:  # closed at once, not after the 300 s head timeout
            assert await asyncio.wait_for(reader.read(), 10) == b""
        assert guard.open_connections == 5
        assert guard.refused == 3
        assert await served_over_tls(url, pki, node.admin_token) == 200  # another address


async def test_a_tls_handshake_that_never_completes_is_closed_after_the_head_timeout(
    tmp_path: Path, pki: Pki
) -> None:
    async with (
        tls_node(tmp_path, pki, head_timeout_seconds=1, idle_timeout_seconds=3600) as (node, url),
        contextlib.AsyncExitStack() as stack,
    ):
        guard = node.connections
        assert guard is not None
        silent = await silent_connections(url, 4, stack)
        half = await silent_connections(url, 2, stack, b"\x16\x03\x01\x02")  # half a record
        for reader in silent + half:
            assert await asyncio.wait_for(reader.read(), 30) == b""
        assert guard.head_timeouts == 6
        assert guard.open_connections == 0
        assert await served_over_tls(url, pki, node.admin_token) == 200


async def test_a_full_node_makes_room_by_closing_a_connection_still_in_its_handshake(
    tmp_path: Path, pki: Pki
) -> None:
    async with (
        tls_node(tmp_path, pki, max_connections=6, head_timeout_seconds=300) as (node, url),
        contextlib.AsyncExitStack() as stack,
    ):
        guard = node.connections
        assert guard is not None
        silent = await silent_connections(url, 6, stack)
        assert await served_over_tls(url, pki, node.admin_token) == 200
        assert await asyncio.wait_for(silent[0].read(), 10) == b""  # the longest silent
        assert guard.evicted == 1


async def test_the_rush_relay_answers_over_https_too(tmp_path: Path, pki: Pki) -> None:
    """The relay keeps the node's TLS settings: its grant route over HTTPS, and its answer is
    the node's (here: who is asking is not admitted)."""
    home = make_home(tmp_path / "node")
    text = tls_config(free_port(), str(pki.certificate), str(pki.key))
    relay_port = free_port()
    text = text.replace('relay_listen = ""', f'relay_listen = "127.0.0.1:{relay_port}"')
    home.config_path.write_text(text, encoding="utf-8")
    node = load_node(home, FakeClock(), SeededRandomness())
    runner, _ = await start(node, "127.0.0.1", node.config.node.listen.port)
    link = NodeLink(socket_path(home.database_path))
    relay, _ = await start_relay(node.config, link, "127.0.0.1", relay_port)
    try:
        trusting = ssl.create_default_context(cafile=str(pki.ca))
        connector = aiohttp.TCPConnector(ssl=trusting)
        async with aiohttp.ClientSession(connector=connector) as session:
            url = f"https://127.0.0.1:{relay_port}/api/v1/campaigns/cp_x/grants"
            async with session.post(url, json={"customer_id": "cu_y"}) as response:
                assert response.status == 401
                assert (await response.json())["error"]["code"] == "auth.missing_token"
        async with aiohttp.ClientSession() as session:
            with pytest.raises(aiohttp.ClientError):  # plain HTTP to the relay's TLS port
                async with session.post(url.replace("https://", "http://"), json={}):
                    pass
    finally:
        await relay.cleanup()
        await runner.cleanup()
