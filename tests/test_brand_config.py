"""[brand] and [receipts] in config.toml: good values load; each bad one is config.invalid naming
its key, at `kippu serve`, before anything is written."""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from node.config import ListenAddress, config_from_dict, load_config, render_config
from node.config.brand import (
    MAX_LOGO_BYTES,
    contrast_ratio,
    corporate_check_digit,
    readable_text_colour,
)
from node.errors import ConfigError
from node.home import NodeHome

# 法人番号 with their published check digits: the 財務省令's own worked example (7123456789012)
# and one looked up in 国税庁's 法人番号公表サイト (4011001098993).
CORPORATE = ("7123456789012", "4011001098993")


def png(width: int = 4, height: int = 2) -> bytes:
    """A real, tiny PNG (white pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    b'<rect width="40" height="20" fill="#e4007f"/></svg>'
)


def problems(data: dict[str, object], home: Path | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        config_from_dict({"node": {"name": "居酒屋 さくら"}, **data}, home)
    assert caught.value.code == "config.invalid"
    return " | ".join(caught.value.problems)


def test_without_brand_or_receipts_settings_the_usual_look_and_the_company_name() -> None:
    config = config_from_dict({"node": {"name": "居酒屋 さくら"}})
    assert config.brand.display_name(config.node.name) == "居酒屋 さくら"
    assert (config.brand.logo, config.brand.colour) == (b"", "")
    assert config.receipts.registration_number == ""
    assert config.receipts.proviso == "お品代として"


def test_init_writes_brand_and_receipts_settings_that_load_as_absent(tmp_path: Path) -> None:
    text = render_config("居酒屋 さくら", ListenAddress("127.0.0.1", 9000))
    assert "[brand]" in text and "[receipts]" in text
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.brand.name == "" and config.receipts.tax_rate_percent == 0


def test_a_full_brand_and_receipt_setting_loads(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(png())
    config = config_from_dict(
        {
            "node": {"name": "居酒屋 さくら"},
            "brand": {"name": "さくらPay", "logo": "logo.png", "colour": "#E4007F"},
            "receipts": {
                "issuer_name": "株式会社さくらフーズ",
                "address": "東京都渋谷区道玄坂1-2-3",
                "phone": "０３-１２３４-５６７８",
                "registration_number": "ｔ4011001098993",
                "proviso": "ご飲食代として",
                "tax_rate_percent": 10,
            },
        },
        tmp_path,
    )
    assert config.brand.display_name("x") == "さくらPay"
    assert config.brand.logo == png() and config.brand.logo_type == "image/png"
    assert config.brand.colour == "#e4007f" and config.brand.text_colour == "#ffffff"
    assert config.receipts.phone == "03-1234-5678"  # full-width digits made ASCII
    assert config.receipts.registration_number == "T4011001098993"
    assert config.receipts.tax_rate_percent == 10


def test_an_svg_logo_and_an_absolute_path_load(tmp_path: Path) -> None:
    (tmp_path / "logo.svg").write_bytes(SVG)
    config = config_from_dict(
        {"node": {"name": "X"}, "brand": {"logo": str(tmp_path / "logo.svg")}}, Path("/nowhere")
    )
    assert config.brand.logo_type == "image/svg+xml"


@pytest.mark.parametrize("colour", ["red", "#e4007", "#e4007fff", "e4007f", "#gg0000", "#e40 7f"])
def test_a_bad_colour_names_the_key(colour: str) -> None:
    assert "brand.colour" in problems({"brand": {"colour": colour}})


def test_a_colour_on_which_white_does_not_read_gets_black_text() -> None:
    for light in ("#ffcc00", "#7fd3ff", "#777777"):
        assert contrast_ratio("#ffffff", light) < 4.5
        assert readable_text_colour(light) == "#000000"
        assert contrast_ratio("#000000", light) >= 4.5
    for dark in ("#e4007f", "#1d2430", "#0050a0"):
        assert readable_text_colour(dark) == "#ffffff"
        assert contrast_ratio("#ffffff", dark) >= 4.5


def test_a_missing_logo_names_the_key(tmp_path: Path) -> None:
    text = problems({"brand": {"logo": "logo.png"}}, tmp_path)
    assert "brand.logo" in text and "cannot be read" in text


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"GIF89a" + b"\x00" * 40, "is not a PNG or SVG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "is not a PNG or SVG"),  # no IHDR: not a PNG
        (b"<html><body>hi</body></html>", "is not a PNG or SVG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "is not"),
        (b'<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "is not a PNG or SVG"),
        (png() + b"\x00" * MAX_LOGO_BYTES, "larger than 512 KiB"),
    ],
    ids=["gif", "truncated-png", "html", "svg-script", "svg-entities", "too-large"],
)
def test_a_logo_that_is_not_a_small_png_or_svg_names_the_key(
    tmp_path: Path, content: bytes, why: str
) -> None:
    (tmp_path / "logo").write_bytes(content)
    text = problems({"brand": {"logo": "logo"}}, tmp_path)
    assert "brand.logo" in text and why in text


def test_the_corporate_check_digit_follows_the_ministry_formula() -> None:
    for number in CORPORATE:
        assert corporate_check_digit(number[1:]) == int(number[0])
    assert corporate_check_digit("123456789012") == 7


@pytest.mark.parametrize(
    "number",
    ["4011001098993", "T401100109899", "T40110010989934", "X4011001098993", "T4011001O98993"],
)
def test_a_malformed_registration_number_names_the_key(number: str) -> None:
    text = problems({"receipts": {"registration_number": number}})
    assert "receipts.registration_number" in text and "T and 13 digits" in text


def test_a_wrong_check_digit_names_the_key_and_the_way_out() -> None:
    text = problems({"receipts": {"registration_number": "T5011001098993"}})
    assert "receipts.registration_number" in text and "check digit" in text
    assert 'registration_holder = "individual"' in text


def test_a_sole_proprietors_number_has_no_check_digit_rule() -> None:
    config = config_from_dict(
        {
            "node": {"name": "X"},
            "receipts": {
                "registration_number": "T5011001098993",
                "registration_holder": "individual",
            },
        }
    )
    assert config.receipts.registration_number == "T5011001098993"


def test_other_bad_receipt_settings_name_their_keys() -> None:
    text = problems(
        {
            "receipts": {
                "phone": "call us",
                "registration_holder": "company",
                "tax_rate_percent": 5,
                "address": "一行目\n二行目",
                "proviso": "x" * 41,
            },
            "brand": {"name": "さ" * 41, "shape": "round"},
        }
    )
    for key in (
        "receipts.phone",
        "receipts.registration_holder",
        "receipts.tax_rate_percent",
        "receipts.address",
        "receipts.proviso",
        "brand.name",
        "brand.shape",
    ):
        assert key in text, key


def test_a_tax_rate_needs_a_registration_number() -> None:
    text = problems({"receipts": {"tax_rate_percent": 10}})
    assert "receipts.tax_rate_percent needs receipts.registration_number" in text


def _home_with(tmp_path: Path, table: str, setting: str) -> NodeHome:
    home = NodeHome(tmp_path / "node")
    runner = CliRunner()
    made = runner.invoke(
        main,
        ["init", "--name", "居酒屋 さくら", "--listen", "127.0.0.1:9", "--home", str(home.root)],
    )
    assert made.exit_code == 0, made.output
    text = home.config_path.read_text(encoding="utf-8")
    key = setting.split(" = ")[0]
    section = text.index(f"[{table}]")
    line = re.compile(rf"^{key} = .*$", re.M).search(text, section)
    assert line is not None
    home.config_path.write_text(text[: line.start()] + setting + text[line.end() :], "utf-8")
    return home


@pytest.mark.parametrize(
    ("table", "setting", "key"),
    [
        ("brand", 'colour = "pink"', "brand.colour"),
        ("brand", 'logo = "missing.png"', "brand.logo"),
        ("receipts", 'registration_number = "T1234567890123"', "receipts.registration_number"),
    ],
)
def test_kippu_serve_refuses_a_bad_setting_and_changes_nothing(
    tmp_path: Path, table: str, setting: str, key: str
) -> None:
    home = _home_with(tmp_path, table, setting)
    before = hashlib.sha256(home.database_path.read_bytes()).hexdigest()
    files = sorted(p.name for p in home.root.iterdir())
    result = CliRunner().invoke(main, ["serve", "--home", str(home.root)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "config.invalid" in result.stderr and key in result.stderr, result.stderr
    assert sorted(p.name for p in home.root.iterdir()) == files  # no token, no journal files
    assert hashlib.sha256(home.database_path.read_bytes()).hexdigest() == before
