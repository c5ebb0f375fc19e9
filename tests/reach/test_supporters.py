"""Supporters: one per email in a local, members matched rather than copied, consent per
purpose, and who may see whom."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from reach.models import Consent, Supporter
from tests import factories as f
from tests.conftest import EVENING_IN_CALIFORNIA

from .factories import make_supporter

pytestmark = pytest.mark.django_db


def test_the_same_email_in_another_case_is_the_same_supporter(cast):
    first, made = Supporter.match_or_create(cast.local, email=" Ana.Reyes@Example.org ", name="Ana")
    again, made_again = Supporter.match_or_create(cast.local, email="ana.reyes@example.ORG")
    assert made and not made_again
    assert again == first
    assert first.email == "ana.reyes@example.org"
    assert Supporter.objects.filter(local=cast.local).count() == 1


def test_the_database_refuses_a_second_supporter_with_the_same_email(cast):
    make_supporter(cast.local, email="same@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Supporter.objects.create(local=cast.local, email="SAME@example.org")


def test_each_local_has_its_own_supporter_for_an_email(cast):
    here, _ = Supporter.match_or_create(cast.local, email="ana@example.org")
    there, made = Supporter.match_or_create(cast.other_local, email="ana@example.org")
    assert made and here != there


def test_a_member_who_signs_is_linked_to_the_member_not_copied(cast):
    member = f.make_member(
        cast.building_a,
        first_name="Rosa",
        last_name="Marín",
        personal_email="rosa@home.example",
        phone="+19165550100",
    )
    supporter, _ = Supporter.match_or_create(
        cast.local, email="ROSA@home.example", name="R. Marin", phone="916 555 0199"
    )
    assert supporter.member == member
    assert supporter.name == "" and supporter.phone == ""
    assert supporter.display_name == "Rosa Marín"
    by_work_email, _ = Supporter.match_or_create(cast.local, email=member.work_email)
    assert by_work_email.member == member


def test_a_member_of_another_local_is_not_matched(cast):
    other_building = f.make_building(cast.other_local)
    f.make_member(other_building, personal_email="lee@home.example")
    supporter, _ = Supporter.match_or_create(cast.local, email="lee@home.example", name="Lee")
    assert supporter.member is None
    assert supporter.name == "Lee"


def test_a_supporter_who_joins_the_roster_is_matched_to_the_member_next_time(cast):
    supporter, _ = Supporter.match_or_create(
        cast.local, email="kim@home.example", name="Kim", phone="(916) 555-0123"
    )
    member = f.make_member(cast.building_b, personal_email="kim@home.example")
    again, _ = Supporter.match_or_create(cast.local, email="kim@home.example", name="Kim")
    assert again == supporter
    assert again.member == member and again.name == "" and again.phone == ""


def test_matching_fills_blanks_and_keeps_what_was_given(cast):
    supporter, _ = Supporter.match_or_create(
        cast.local, email="ana@example.org", name="Ana", brought_by=cast.organisation_x
    )
    Supporter.match_or_create(
        cast.local,
        email="ana@example.org",
        name="Someone Else",
        phone="916-555-0100",
        postcode="95820",
        brought_by=cast.organisation_y,
    )
    supporter.refresh_from_db()
    assert supporter.name == "Ana"
    assert supporter.phone == "+19165550100"
    assert supporter.postcode == "95820"
    assert supporter.brought_by == cast.organisation_x


def test_leaders_see_their_locals_supporters(cast):
    mine = make_supporter(cast.local)
    make_supporter(cast.other_local)
    assert list(Supporter.objects.visible_to(cast.leader)) == [mine]


def test_a_partner_sees_only_the_supporters_its_organisation_brought(cast):
    from_x = make_supporter(cast.local, brought_by=cast.organisation_x)
    from_y = make_supporter(cast.local, brought_by=cast.organisation_y)
    make_supporter(cast.local)
    assert list(Supporter.objects.visible_to(cast.partner_x)) == [from_x]
    assert list(Supporter.objects.visible_to(cast.partner_y)) == [from_y]


def test_a_partner_never_sees_a_member_its_link_brought(cast):
    member = f.make_member(cast.building_a, personal_email="m@home.example")
    supporter, _ = Supporter.match_or_create(
        cast.local, email="m@home.example", brought_by=cast.organisation_x
    )
    assert supporter.member == member
    assert not Supporter.objects.visible_to(cast.partner_x).exists()


@pytest.mark.parametrize("who", ["steward_a", "steward_b", "other_leader"])
def test_stewards_and_other_locals_see_no_supporters(cast, who):
    make_supporter(cast.local, brought_by=cast.organisation_x)
    make_supporter(cast.local)
    assert not Supporter.objects.visible_to(getattr(cast, who)).exists()


def test_nobody_signed_out_sees_supporters(cast):
    from django.contrib.auth.models import AnonymousUser

    make_supporter(cast.local)
    assert not Supporter.objects.visible_to(AnonymousUser()).exists()


def test_consent_records_when_how_and_the_words(cast, evening_in_california):
    supporter = make_supporter(cast.local)
    consent = supporter.give_consent(
        Consent.Purpose.CAMPAIGN_UPDATES,
        how=Consent.How.ONLINE,
        wording="Send me updates about this campaign.",
    )
    assert consent.given_at == EVENING_IN_CALIFORNIA
    assert consent.wording == "Send me updates about this campaign."
    assert supporter.has_consent(Consent.Purpose.CAMPAIGN_UPDATES)
    assert not supporter.has_consent(Consent.Purpose.PARTNER_UPDATES, cast.organisation_x)


def test_giving_the_same_consent_twice_keeps_the_first(cast):
    supporter = make_supporter(cast.local)
    first = supporter.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how=Consent.How.PAPER,
        wording="First words.",
        organisation=cast.organisation_x,
    )
    again = supporter.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how=Consent.How.ONLINE,
        wording="Other words.",
        organisation=cast.organisation_x,
    )
    other = supporter.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how=Consent.How.ONLINE,
        wording="Other words.",
        organisation=cast.organisation_y,
    )
    assert again == first and other != first
    assert supporter.consents.count() == 2


def test_a_withdrawn_consent_no_longer_counts_and_a_new_one_is_a_new_record(cast):
    supporter = make_supporter(cast.local)
    consent = supporter.give_consent(
        Consent.Purpose.CAMPAIGN_UPDATES, how=Consent.How.ONLINE, wording="Yes."
    )
    consent.withdraw()
    assert not supporter.has_consent(Consent.Purpose.CAMPAIGN_UPDATES)
    assert not Supporter.objects.with_consent(Consent.Purpose.CAMPAIGN_UPDATES).exists()
    renewed = supporter.give_consent(
        Consent.Purpose.CAMPAIGN_UPDATES, how=Consent.How.PAPER, wording="Yes again."
    )
    assert renewed != consent
    assert list(Supporter.objects.with_consent(Consent.Purpose.CAMPAIGN_UPDATES)) == [supporter]


def test_with_consent_for_a_partner_names_the_partner(cast):
    x_only = make_supporter(cast.local)
    x_only.give_consent(
        Consent.Purpose.PARTNER_UPDATES,
        how=Consent.How.ONLINE,
        wording="Yes.",
        organisation=cast.organisation_x,
    )
    purpose = Consent.Purpose.PARTNER_UPDATES
    assert list(Supporter.objects.with_consent(purpose, cast.organisation_x)) == [x_only]
    assert not Supporter.objects.with_consent(purpose, cast.organisation_y).exists()


def test_a_partner_consent_must_name_its_organisation(cast):
    supporter = make_supporter(cast.local)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            supporter=supporter,
            purpose=Consent.Purpose.PARTNER_UPDATES,
            how=Consent.How.ONLINE,
            wording="Yes.",
            given_at="2026-11-29T12:00Z",
        )


def test_confirming_the_email_keeps_the_first_time(cast, evening_in_california):
    supporter = make_supporter(cast.local)
    supporter.confirm_email()
    evening_in_california.shift(3600)
    supporter.confirm_email()
    supporter.refresh_from_db()
    assert supporter.email_confirmed_at == EVENING_IN_CALIFORNIA


def test_a_consent_given_or_withdrawn_marks_the_supporter_changed(cast):
    """A sync reading supporters changed since its last run sees their consent change, also
    when an unsubscribe withdraws consents in bulk."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ana, lee = make_supporter(cast.local), make_supporter(cast.local)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        ana.give_consent(Consent.Purpose.CAMPAIGN_UPDATES, how="online", wording="Updates")
        lee.give_consent(Consent.Purpose.CAMPAIGN_UPDATES, how="online", wording="Updates")
    ana.refresh_from_db()
    assert ana.updated_at == start + timedelta(hours=1)
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        withdrawn = Consent.objects.filter(supporter=lee).withdraw()
    assert withdrawn == 1
    assert Supporter.objects.get(pk=lee.pk).updated_at == start + timedelta(hours=2)
    assert Supporter.objects.get(pk=ana.pk).updated_at == start + timedelta(hours=1)
    assert not lee.has_consent(Consent.Purpose.CAMPAIGN_UPDATES)
