"""The refusals of customers and marketing (CRM): profiles, consents, segments, analytics and
campaign mail. Each leaves everything as it was."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class CrmError(KippuError):
    """That cannot be done to the customers' records; nothing was changed."""

    code = "crm.refused"
    http_status = 409
    areas = ("crm", "segment", "consent", "profile", "analytics", "mail")
    is_actionable = True


class SegmentNameTaken(CrmError):
    """A segment of that name exists already; choose another name."""

    code = "segment.name_taken"


class InvalidSegment(ValidationError):
    """A segment's filter is not understood; see the field named in `field`."""

    code = "segment.invalid"
    http_status = 422


class InvalidConsent(ValidationError):
    """A consent must say yes or no, for a customer who has an e-mail address."""

    code = "consent.invalid"
    http_status = 422


class InvalidAnalytics(ValidationError):
    """The analysis asked for is not understood; see the field named in `field`."""

    code = "analytics.invalid"
    http_status = 422


class SegmentNotFound(NotFound):
    """No segment of that name on this node."""

    code = "segment.not_found"


class InvalidMail(ValidationError):
    """A campaign mail's subject, body, time or rate is not understood; see `field`."""

    code = "mail.invalid"
    http_status = 422


class SenderIncomplete(CrmError):
    """Marketing mail must show who sends it: set [issuer] legal_name, address and complaint_desk
    (特定電子メール法4条) and start the node again."""

    code = "mail.sender_incomplete"


class MailNotSent(CrmError):
    """The SMTP server did not take the test message (`reason` says what it answered); check
    [web] smtp_host and smtp_port, or the address, and try again."""

    code = "mail.not_sent"
    http_status = 502


class ReportUnavailable(CrmError):
    """The analytics' worker process stopped (it may have run out of memory); nothing was
    changed. Ask again: a new worker starts."""

    code = "analytics.unavailable"
    http_status = 503


class MailNotFound(NotFound):
    """No campaign mail of that id on this node."""

    code = "mail.not_found"


class UnsubscribeLinkInvalid(NotFound):
    """This unsubscribe link is not known: it may have been copied incompletely. You can stop
    the mail from your wallet's settings too."""

    code = "mail.link_unknown"


class InvalidProfile(ValidationError):
    """A profile's field is not understood (kana, phone, birthday, postcode, gender, note or
    tags); see `field`."""

    code = "profile.invalid"
    http_status = 422


class ErasureBlocked(CrmError):
    """The customer still holds value (a voucher balance or points, in `balance_yen` and
    `points`): refund it or let them use it first, then erase."""

    code = "crm.erasure_blocked"


class AlreadyErased(CrmError):
    """This customer's personal data was erased already."""

    code = "crm.already_erased"
