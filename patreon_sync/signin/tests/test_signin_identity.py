"""Reading Patreon's /identity answer: the user, the verified e-mail, our membership only."""

import pytest

from patreon_sync.documents import PayloadError, parse_identity
from patreon_sync.signin.tests.support import MEMBER, PATREON_USER, identity_document


def test_the_user_and_their_membership_to_our_campaign_are_read(patreon):
    identity = parse_identity(identity_document(cents=1000, tiers=("9512103",)))
    assert identity.user_id == PATREON_USER
    assert identity.verified_email == "luna@example.org"
    member = identity.membership
    assert member.patreon_member_id == MEMBER
    assert member.patreon_user_id == PATREON_USER
    assert member.email == "luna@example.org"
    assert member.currently_entitled_amount_cents == 1000
    assert member.tier_ids == ("9512103",)
    assert {tier.patreon_id: tier.amount_cents for tier in member.tiers} == {"9512103": 1000}


def test_an_unverified_email_is_read_but_not_offered_for_linking(patreon):
    identity = parse_identity(identity_document(verified=False))
    assert identity.email == "luna@example.org"
    assert identity.verified_email == ""


def test_is_email_verified_must_be_true_not_merely_truthy(patreon):
    document = identity_document()
    document["data"]["attributes"]["is_email_verified"] = "yes"
    assert parse_identity(document).verified_email == ""


def test_without_a_campaign_id_two_memberships_are_ambiguous(patreon):
    patreon.PATREON_CAMPAIGN_ID = ""
    document = identity_document()
    other = dict(document["included"][0], id="another-member")
    document["included"].append(other)
    assert parse_identity(document).membership is None


def test_a_numeric_user_id_is_read_as_text(patreon):
    document = identity_document()
    document["data"]["id"] = 70001
    assert parse_identity(document).user_id == "70001"


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"data": None},
        {"data": {"type": "member", "id": "1"}},
        {"data": {"type": "user"}},
        {"data": {"type": "user", "id": True}},
        {"data": {"type": "user", "id": "9" * 40}},
    ],
)
def test_malformed_answers_are_refused(patreon, document):
    with pytest.raises(PayloadError):
        parse_identity(document)
