"""Eligibility's pure rules: serial codes catch typing errors before any lookup, phone numbers and
postcodes are read the ways residents write them, one-time codes expire and run out of tries,
a LINE ID token is refused unless every claim checks out, and [campaigns.*] config is checked."""

from __future__ import annotations

import tomllib
from datetime import timedelta

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from node.campaigns import one_time_codes as otp
from node.campaigns.line_login import authorize_url, code_challenge, verified_subject
from node.campaigns.passkey_actions import credential_subject
from node.campaigns.phone_numbers import masked, parse_mobile
from node.campaigns.residence import is_inside, parse_postcode, residence_subject
from node.campaigns.serials import (
    ALPHABET,
    draw_serial,
    grouped,
    parse_serial,
    serial_hash,
)
from node.config import ListenAddress, config_from_dict, render_config
from node.config.model import CampaignLineConfig
from node.errors import ConfigError, InvalidPhone, InvalidPostcode, InvalidSerial, LoginFailed
from tests.conftest import START, SeededRandomness

# -- serial codes ------------------------------------------------------------------------------


def test_a_drawn_code_reads_back_however_it_is_typed() -> None:
    code = draw_serial(SeededRandomness(7))
    printed = grouped(code)
    assert len(printed) == 19 and printed.count("-") == 3
    full_width = printed.lower().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    for typed in (printed, code, printed.lower(), f"  {printed.replace('-', ' ')} ", full_width):
        assert parse_serial(typed) == code


@given(st.integers(min_value=0, max_value=2**32))
def test_every_single_mistyped_character_is_caught(seed: int) -> None:
    code = draw_serial(SeededRandomness(seed))
    for position in range(len(code)):
        for other in ALPHABET.replace(code[position], ""):
            with pytest.raises(InvalidSerial):
                parse_serial(code[:position] + other + code[position + 1 :])


def test_nearly_every_swap_of_neighbours_is_caught() -> None:
    caught = swapped = 0
    for seed in range(300):
        code = draw_serial(SeededRandomness(seed))
        for i in range(len(code) - 1):
            typed = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            if typed == code:
                continue
            swapped += 1
            try:
                parse_serial(typed)
            except InvalidSerial:
                caught += 1
    assert caught / swapped > 0.99, (caught, swapped)


@pytest.mark.parametrize(
    "typed", ["", "ABCD-EFGH-JKLM-NPQ", "ABCD-EFGH-JKLM-NPQRS", "0BCD-EFGH-JKLM-NPQR", "I" * 16]
)
def test_a_wrong_length_or_a_character_outside_the_alphabet_is_refused(typed: str) -> None:
    with pytest.raises(InvalidSerial) as refused:
        parse_serial(typed)
    assert refused.value.details == {"field": "serial"}


def test_the_stored_hash_is_of_the_code_alone() -> None:
    code = draw_serial(SeededRandomness(3))
    assert serial_hash(code) == serial_hash(parse_serial(grouped(code).lower()))
    assert serial_hash(code) != serial_hash(draw_serial(SeededRandomness(4)))
    assert len(serial_hash(code)) == 32


# -- phone numbers and postcodes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "090-1234-5678",
        "09012345678",
        "０９０−１２３４−５６７８",
        "+81 90 1234 5678",
        "(090)1234-5678",
    ],
)
def test_a_japanese_mobile_number_is_e164(typed: str) -> None:
    assert parse_mobile(typed) == "+819012345678"
    assert masked(parse_mobile(typed)) == "+81 90-****-5678"


@pytest.mark.parametrize(
    "typed", ["03-1234-5678", "050-1234-5678", "0120-123-456", "+1 415 555 0100", "090-1234-567"]
)
def test_other_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        parse_mobile(typed)


def test_postcodes_are_read_as_residents_write_them() -> None:
    for typed in ("〒805-0012", "８０５－００１２", "8050012", "805ー0012"):
        assert parse_postcode(typed) == "8050012"
    for typed in ("805", "805-001", "805-00123", "ABC-DEFG", ""):
        with pytest.raises(InvalidPostcode):
            parse_postcode(typed)


def test_the_area_holds_postcodes_and_prefixes() -> None:
    area = ("8020001", "805")
    assert is_inside("8050012", area) and is_inside("8020001", area)
    assert not is_inside("8020002", area) and not is_inside("1000001", area)
    assert residence_subject("8050012", "cu_a") != residence_subject("8050012", "cu_b")


# -- one-time codes ----------------------------------------------------------------------------


def _pending(code: str = "123456") -> otp.PendingCode:
    return otp.new_pending("cp", "cu", otp.Channel.SMS, "+819012345678", code, b"s" * 16, START)


def test_codes_are_six_uniform_digits() -> None:
    rng = SeededRandomness(11)
    codes = [otp.draw_code(rng) for _ in range(2000)]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) > 1990
    assert {c[0] for c in codes} == set("0123456789")


def test_a_code_is_good_for_ten_minutes_and_five_tries() -> None:
    pending = _pending()
    assert otp.check(pending, "123456", START) is otp.Outcome.ACCEPTED
    assert otp.check(pending, "654321", START) is otp.Outcome.WRONG
    assert otp.check(pending, "123456", START + timedelta(minutes=10)) is otp.Outcome.EXPIRED
    assert otp.check(None, "123456", START) is otp.Outcome.EXPIRED
    spent = otp.PendingCode(**{**pending.__dict__, "tries_left": 0})
    assert otp.check(spent, "123456", START) is otp.Outcome.LOCKED
    assert pending.code_hash != _pending("123457").code_hash
    assert b"123456" not in pending.code_hash


def test_a_new_code_waits_a_minute_after_the_last() -> None:
    pending = _pending()
    assert otp.may_resend(None, START)
    assert not otp.may_resend(pending, START + timedelta(seconds=59))
    assert otp.may_resend(pending, START + timedelta(seconds=60))


def test_typed_codes_accept_full_width_digits_and_spaces_only() -> None:
    assert otp.typed_code(" １２３ ４５６ ") == "123456"
    assert otp.typed_code("12345") is None and otp.typed_code("12345a") is None


# -- LINE Login's ID token ---------------------------------------------------------------------

LINE = CampaignLineConfig(channel_id="1234567890", channel_secret="s" * 32)


def _token(**changes: object) -> str:
    now = int(START.timestamp())
    claims = {
        "iss": "https://access.line.me",
        "sub": "U" + "a" * 32,
        "aud": "1234567890",
        "exp": now + 3600,
        "iat": now,
        "nonce": "n-1",
        **changes,
    }
    secret = str(claims.pop("secret", "s" * 32))
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, "HS256")


def test_a_good_id_token_gives_its_sub() -> None:
    assert verified_subject(LINE, _token(), "n-1", START) == "U" + "a" * 32


@pytest.mark.parametrize(
    "changes",
    [
        {"nonce": "n-2"},
        {"aud": "999"},
        {"iss": "https://evil.example"},
        {"secret": "t" * 32},
        {"exp": int(START.timestamp()) - 600},
        {"iat": int(START.timestamp()) + 3600},
        {"sub": None},
        {"sub": ""},
    ],
)
def test_an_id_token_failing_any_check_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(LoginFailed):
        verified_subject(LINE, _token(**changes), "n-1", START)


def test_an_unsigned_or_other_algorithm_token_is_refused() -> None:
    unsigned = jwt.encode({"iss": "https://access.line.me", "sub": "U1"}, None, "none")
    with pytest.raises(LoginFailed):
        verified_subject(LINE, unsigned, "n-1", START)


def test_the_authorize_address_carries_state_nonce_and_an_s256_challenge() -> None:
    address = authorize_url(LINE, "https://city.example/wallet/line/callback", "st", "nn", "v" * 64)
    assert address.startswith("https://access.line.me/oauth2/v2.1/authorize?response_type=code")
    for part in ("client_id=1234567890", "state=st", "nonce=nn", "code_challenge_method=S256"):
        assert part in address
    assert f"code_challenge={code_challenge('v' * 64)}" in address
    assert "v" * 64 not in address  # the verifier itself stays on the node


# -- config ------------------------------------------------------------------------------------


def _config(**tables: dict[str, object]) -> dict[str, object]:
    data = tomllib.loads(render_config("X", ListenAddress("127.0.0.1", 8470)))
    data["campaigns"] = {**data["campaigns"], **tables}
    return data


def test_sms_and_line_are_off_by_default() -> None:
    config = config_from_dict(_config())
    assert not config.campaign_sms.is_enabled and not config.campaign_line.is_enabled


def test_every_problem_of_the_campaign_tables_is_reported_with_its_key() -> None:
    data = _config(
        sms={"provider": "nexmo", "base_url": "http://example.com", "auth_token_env": "lower"},
        line={"channel_id": "abc", "token_url": "ftp://x", "colour": "green"},
    )
    with pytest.raises(ConfigError) as refused:
        config_from_dict(data, environ={})
    problems = "\n".join(refused.value.problems)
    for expected in (
        "campaigns.sms.provider must be one of twilio",
        "campaigns.sms.base_url must be an https:// URL",
        "campaigns.sms.auth_token_env must name an environment variable",
        "campaigns.line.channel_id must be the channel's number",
        "KIPPU_LINE_CHANNEL_SECRET must hold the secret",
        "campaigns.line.token_url must be an https:// URL",
        "unknown key campaigns.line.colour",
    ):
        assert expected in problems, problems


def test_secrets_come_from_the_named_variables_and_are_never_printed() -> None:
    data = _config(
        sms={
            "provider": "twilio",
            "account_sid": "AC" + "a" * 32,
            "auth_token_env": "CITY_SMS_TOKEN",
            "from_number": "+815012345678",
        },
        line={"channel_id": "1234567890"},
    )
    environ = {"CITY_SMS_TOKEN": "tok-secret", "KIPPU_LINE_CHANNEL_SECRET": "line-secret"}
    config = config_from_dict(data, environ=environ)
    assert config.campaign_sms.auth_token == "tok-secret"
    assert config.campaign_line.channel_secret == "line-secret"
    assert "tok-secret" not in repr(config) and "line-secret" not in repr(config)


def test_a_credential_id_too_long_for_a_subject_is_kept_by_its_hash() -> None:
    assert credential_subject(b"\x01" * 32) == "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"
    long_id = credential_subject(b"\x02" * 1023)
    assert long_id.startswith("sha256:") and len(long_id) == 71
