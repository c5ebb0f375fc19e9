import pytest
from django.core.management import call_command

from campaigns.models import (
    Assessment,
    Conversation,
    Member,
    Milestone,
    StructureTestParticipation,
    Task,
    TenMinuteMeeting,
    WeeklySnapshot,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Member,
    Milestone,
    Task,
    Conversation,
    StructureTestParticipation,
    TenMinuteMeeting,
    Assessment,
    WeeklySnapshot,
]


def test_seed_demo_tells_the_organizing_story_and_is_idempotent():
    call_command("seed_demo", stdout=None)
    first = {model.__name__: model.objects.count() for model in MODELS}
    done = Milestone.objects.filter(done_at__isnull=False).count()
    call_command("seed_demo", stdout=None)
    assert {model.__name__: model.objects.count() for model in MODELS} == first
    assert Milestone.objects.filter(done_at__isnull=False).count() == done
    history = list(WeeklySnapshot.objects.order_by("week"))
    assert (history[0].supporters, history[0].active_buildings) == (67, 7)
    assert history[-1].supporters > 120 and history[-1].active_buildings >= 19
    assert Assessment.objects.count() == 2
    assert first["Conversation"] > 100 and first["TenMinuteMeeting"] == 1
