"""The rule behind compliance.registration_required: registered, or a declared related partner."""

from __future__ import annotations

import pytest

from node.config.model import IssuerConfig
from node.errors import RegistrationRequired
from node.peering.registration import may_accept, require_may_accept, require_may_invite

PARTNER = "ABCDEF"


def test_a_registered_issuer_may_accept_anyone_and_invite() -> None:
    registered = IssuerConfig(registration_number="関東財務局長第00001号")
    assert may_accept(registered, PARTNER)
    require_may_invite(registered)


def test_unregistered_only_related_partners_whatever_their_case() -> None:
    related = IssuerConfig(related_partners=(" abcdef ",))
    assert may_accept(related, PARTNER)
    assert may_accept(related, "abcdef")
    assert not may_accept(related, "OTHER")
    with pytest.raises(RegistrationRequired) as refused:
        require_may_accept(related, " other ")
    assert refused.value.http_status == 409
    assert refused.value.details["node_id"] == "OTHER"
    with pytest.raises(RegistrationRequired):
        require_may_invite(related)  # whoever holds an invitation may join with it


def test_the_related_partners_are_read_one_way_for_acceptance_and_the_class() -> None:
    """IssuerConfig.related_ids: the one normalisation peering's rule and compliance's
    acceptance (load_acceptance) both use."""
    issuer = IssuerConfig(related_partners=(" abcdef ", "Ghijkl", ""))
    assert issuer.related_ids == frozenset({"ABCDEF", "GHIJKL"})
    assert all(may_accept(issuer, node_id) for node_id in ("abcdef", "GHIJKL"))
    assert not may_accept(issuer, " ")  # an empty entry declares nobody
