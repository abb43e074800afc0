"""The refusals of municipal campaigns (自治体キャンペーン). Each leaves everything as it was."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import ValidationError

# -- Eligibility (資格確認): serial codes, one-time codes by mail and SMS, LINE Login, passkeys,
# -- residence (the helper "verify", issue 18). Codes under eligibility.*.


class EligibilityError(KippuError):
    """This proof of eligibility was not accepted; nothing was recorded."""

    code = "eligibility.refused"
    http_status = 409
    areas = ("eligibility",)
    is_actionable = True


class InvalidSerial(ValidationError):
    """This serial code is mistyped (its check character does not match); compare it with the
    printed card, 16 characters in groups of four."""

    code = "eligibility.serial_mistyped"
    http_status = 422


class SerialUnknown(EligibilityError):
    """This serial code is not one of this campaign's; check the campaign and the printed card."""

    code = "eligibility.serial_unknown"
    http_status = 422


class SerialUsed(EligibilityError):
    """This serial code was used already; each code proves eligibility once."""

    code = "eligibility.serial_used"


class InvalidSerialCount(ValidationError):
    """The number of serial codes must be 1..100000 in one batch."""

    code = "eligibility.invalid_count"
    http_status = 422


class InvalidPhone(ValidationError):
    """Only Japanese mobile numbers (070, 080 or 090, 11 digits) can receive the code; check the
    number."""

    code = "eligibility.phone_invalid"
    http_status = 422


class InvalidEmail(ValidationError):
    """This is not an email address the code can be sent to; check it."""

    code = "eligibility.email_invalid"
    http_status = 422


class InvalidPostcode(ValidationError):
    """A postcode is 7 digits, written 123-4567 (〒 and full-width digits are accepted)."""

    code = "eligibility.postcode_invalid"
    http_status = 422


class PostcodeNotEligible(EligibilityError):
    """This postcode is outside the campaign's area; only its residents can take part."""

    code = "eligibility.postcode_outside"
    http_status = 403


class OneTimeCodeWrong(EligibilityError):
    """The code does not match; check the latest message and type it again."""

    code = "eligibility.code_wrong"
    http_status = 422


class OneTimeCodeExpired(EligibilityError):
    """The code has expired or none was sent; ask for a new one."""

    code = "eligibility.code_expired"
    http_status = 410


class OneTimeCodeLocked(EligibilityError):
    """Too many wrong codes; ask for a new code."""

    code = "eligibility.code_locked"
    http_status = 429


class SubjectTaken(EligibilityError):
    """This serial code, phone number, LINE account, device or address has proved eligibility for
    another resident of this campaign already; each proves it for one resident."""

    code = "eligibility.subject_taken"


class AlreadyVerified(EligibilityError):
    """You have proved eligibility this way for this campaign already, with another serial code,
    number, account or device."""

    code = "eligibility.already_verified"


class MethodNotConfigured(EligibilityError):
    """This way of proving eligibility is not set up on this node; ask the campaign office."""

    code = "eligibility.not_configured"
    http_status = 503


class MessageNotSent(EligibilityError):
    """The code could not be sent just now; try again in a few minutes."""

    code = "eligibility.not_sent"
    http_status = 503


class SmsRefused(EligibilityError):
    """The SMS provider refused to send to this number; check it, or use another way."""

    code = "eligibility.sms_refused"
    http_status = 422


class LoginFailed(EligibilityError):
    """The sign-in with LINE did not complete (expired, cancelled, or not confirmed); start it
    again."""

    code = "eligibility.line_failed"
    http_status = 422


class PasskeyFailed(EligibilityError):
    """This device's passkey could not be registered (cancelled, expired, or not confirmed);
    try again."""

    code = "eligibility.passkey_failed"
    http_status = 422
