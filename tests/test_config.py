"""config.toml: defaults, every problem reported at once with its key, the rendered file loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from node.config import ListenAddress, config_from_dict, load_config, parse_listen, render_config
from node.errors import ConfigError


def test_rendered_config_loads_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(render_config('Bar "Q"', ListenAddress("::1", 9000)), encoding="utf-8")
    config = load_config(path)
    assert config.node.name == 'Bar "Q"'
    assert config.node.listen == ListenAddress("::1", 9000)
    assert config.node.public_url == "http://[::1]:9000"
    assert config.ledger.qr_step_seconds == 30
    assert config.zone.key == "Asia/Tokyo"
    assert config.crm.keep_reports_ready and config.crm.margin_percent == 30


def test_the_report_warm_up_and_the_margin_are_read_and_checked() -> None:
    node = {"name": "喫茶キップ"}
    crm = {"keep_reports_ready": False, "margin_percent": 45}
    config = config_from_dict({"node": node, "crm": crm})
    assert not config.crm.keep_reports_ready and config.crm.margin_percent == 45
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"node": node, "crm": {"keep_reports_ready": 1, "margin_percent": 101}})
    assert sorted(caught.value.problems) == [
        "crm.keep_reports_ready must be a bool, got 1",
        "crm.margin_percent must be 0..100",
    ]


def test_every_problem_is_reported_with_its_key() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {
                "node": {"name": "", "listen": "nowhere", "currency": "USD", "colour": "red"},
                "ledger": {"max_voucher_yen": True, "qr_step_seconds": 1},
                "extra": {},
            }
        )
    text = " | ".join(caught.value.problems)
    for key in (
        "node.name",
        "node.listen",
        "node.currency",
        "node.colour",
        "ledger.max_voucher_yen",
        "ledger.qr_step_seconds",
        "'extra'",
    ):
        assert key in text


def test_missing_and_broken_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="kippu init"):
        load_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[node\nname=", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(broken)


@pytest.mark.parametrize("text", ["8470", "host:", ":80", "h:99999", "[::1]", "h:0x10"])
def test_bad_listen_addresses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_listen(text)


def test_server_settings_problems_are_reported_with_their_keys() -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {
                "node": {"name": "X"},
                "server": {
                    "head_timeout_seconds": 0,
                    "idle_timeout_seconds": "30",
                    "max_connections_per_address": 0,
                    "max_connections": -1,
                    "tls_key": "/nowhere.key",
                    "metrics_networks": ["loopback"],
                    "colour": "red",
                },
            }
        )
    text = " | ".join(caught.value.problems)
    for key in (
        "server.head_timeout_seconds",
        "server.idle_timeout_seconds",
        "server.max_connections_per_address",
        "server.max_connections",
        "server.tls_certificate and server.tls_key must be set together",
        "server.metrics_networks",
        "server.colour",
    ):
        assert key in text, key


@pytest.mark.parametrize("seconds", [0, 59, 86_401, "600"])
def test_the_retry_window_is_checked(seconds: object) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"node": {"name": "x"}, "ledger": {"retry_window_seconds": seconds}})
    assert "ledger.retry_window_seconds" in " | ".join(caught.value.problems)


def test_the_retry_window_is_written_and_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(render_config("Bar", ListenAddress("127.0.0.1", 9000)), encoding="utf-8")
    assert "retry_window_seconds = 600" in path.read_text(encoding="utf-8")
    assert load_config(path).ledger.retry_window_seconds == 600
    custom = config_from_dict({"node": {"name": "x"}, "ledger": {"retry_window_seconds": 120}})
    assert custom.ledger.retry_window_seconds == 120


def test_the_rush_relay_is_off_by_default_and_read_as_host_port() -> None:
    assert config_from_dict({"node": {"name": "x"}}).campaign_rush.relay_listen is None
    rush = {"relay_listen": "[::1]:8471"}
    config = config_from_dict({"node": {"name": "x"}, "campaigns": {"rush": rush}})
    assert config.campaign_rush.relay_listen == ListenAddress("::1", 8471)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("8471", "campaigns.rush.relay_listen: expected HOST:PORT"),
        ("127.0.0.1:8470", "campaigns.rush.relay_listen must not be node.listen"),
        (8471, "campaigns.rush.relay_listen"),
    ],
)
def test_a_bad_relay_address_is_a_problem_naming_its_key(value: object, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_dict(
            {
                "node": {"name": "x", "listen": "127.0.0.1:8470"},
                "campaigns": {"rush": {"relay_listen": value, "port": 1}},
            }
        )
    text = " | ".join(caught.value.problems)
    assert problem in text and "unknown key campaigns.rush.port" in text
