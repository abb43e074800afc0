"""HTTPS served by the node itself, from a certificate and key named in config.toml."""

from __future__ import annotations

import datetime
import ipaddress
import re
import ssl
from collections.abc import AsyncIterator
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
