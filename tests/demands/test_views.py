"""Every demand view as each person in the cast."""

import pytest
from django.urls import reverse

from demands.models import Demand, DemandComment, DemandEndorsement
from tests import factories as f

from .factories import COMPLETE_ASSESSMENT, make_demand, make_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def demand(cast):
    """Co-authored by organisation X; organisation Y has not seen it."""
    return make_demand(
        cast.campaign,
        by=cast.leader,
        coauthors=[cast.organisation_x],
        problem="Three schools share one nurse.",
    )


def test_a_partner_reads_but_cannot_edit_a_demand_only_shared_with_them(cast, demand):
    demand.shared_with.add(cast.organisation_y)
    client = cast.client_for("partner_y")
    assert client.get(reverse("demands:detail", args=[demand.pk])).status_code == 200
    assert client.get(reverse("demands:edit", args=[demand.pk])).status_code == 403
    response = client.post(
        reverse("demands:edit", args=[demand.pk]), edit_data(demand, problem="Overwritten")
    )
    assert response.status_code == 403
    assert Demand.objects.get(pk=demand.pk).problem == "Three schools share one nurse."


@pytest.mark.parametrize("who", ["anonymous", "leader", "steward_a", "partner_x", "other_leader"])
def test_demand_list_shows_only_what_each_person_may_see(cast, demand, who):
    make_demand(cast.campaign, title="Union-only draft about pay")
    response = cast.client_for(who).get(reverse("demands:list"))
    if who == "anonymous":
        assert response.status_code == 302
        return
    content = response.content.decode()
    assert ("Nurses in every school" in content) == (who != "other_leader")
    assert ("Union-only draft about pay" in content) == (who in {"leader", "steward_a"})


def edit_data(demand, **changes) -> dict:
    data = {name: getattr(demand, name) for name in demand.snapshot()}
    data["version"] = demand.version
    data["category"] = demand.category
    data["priority"] = demand.priority
    data["coauthors"] = [o.pk for o in demand.coauthors.all()]
    data.update(changes)
    return data


def test_a_partner_coauthor_saves_a_new_revision(cast, demand):
    client = cast.client_for("partner_x")
    response = client.post(
        reverse("demands:edit", args=[demand.pk]),
        edit_data(demand, reia_problems="Black and Hmong students wait longest."),
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.reia_problems == "Black and Hmong students wait longest."
    assert demand.version == 2
    assert demand.revisions.get(number=2).by == cast.partner_x


def test_a_partner_cannot_change_coauthors_or_sharing(cast, demand):
    data = edit_data(
        demand, coauthors=[cast.organisation_y.pk], shared_with=[cast.organisation_y.pk]
    )
    cast.client_for("partner_x").post(reverse("demands:edit", args=[demand.pk]), data)
    assert list(demand.coauthors.all()) == [cast.organisation_x]
    assert not demand.shared_with.exists()


def test_a_leader_sets_coauthors_sharing_and_decision_makers(cast, demand):
    board = make_target(cast.campaign, "Twin Rivers school board")
    data = edit_data(
        demand,
        category=Demand.Category.HEALTH,
        priority=1,
        coauthors=[cast.organisation_x.pk, cast.organisation_y.pk],
        shared_with=[],
        decision_makers=[board.pk],
    )
    response = cast.client_for("leader").post(reverse("demands:edit", args=[demand.pk]), data)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.category == Demand.Category.HEALTH
    assert set(demand.coauthors.all()) == {cast.organisation_x, cast.organisation_y}
    assert list(demand.decision_makers.all()) == [board]
    detail = cast.client_for("partner_x").get(demand.get_absolute_url()).content.decode()
    assert "Twin Rivers school board" in detail


def test_a_stale_save_shows_both_versions_and_loses_nothing(cast, demand):
    leader, partner = cast.client_for("leader"), cast.client_for("partner_x")
    partner_start = edit_data(demand)
    leader.post(
        reverse("demands:edit", args=[demand.pk]),
        edit_data(demand, reia_history="Nurses were cut in 2009 <budget>."),
    )
    response = partner.post(
        reverse("demands:edit", args=[demand.pk]),
        {**partner_start, "reia_history": "Clinics closed in Del Paso Heights."},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved this demand" in content
    assert "Nurses were cut " in content and "2009 &lt;budget&gt;." in content  # theirs, escaped
    assert "Clinics closed in Del Paso Heights." in content  # yours, kept in the form
    assert 'name="version" value="2"' in content
    demand.refresh_from_db()
    assert demand.reia_history == "Nurses were cut in 2009 <budget>."
    assert demand.version == 2

    merged = {
        **partner_start,
        "version": 2,
        "reia_history": "Nurses were cut in 2009. Clinics closed in Del Paso Heights.",
    }
    response = partner.post(reverse("demands:edit", args=[demand.pk]), merged)
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.reia_history == "Nurses were cut in 2009. Clinics closed in Del Paso Heights."
    assert demand.version == 3


def test_an_invalid_edit_shows_errors_and_saves_nothing(cast, demand):
    response = cast.client_for("leader").post(
        reverse("demands:edit", args=[demand.pk]), edit_data(demand, title="")
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).version == 1


def test_history_compares_two_revisions_side_by_side_escaped(cast, demand):
    demand.edit(
        changes={"problem": "Three schools share one nurse. <script>alert(1)</script>"},
        by=cast.leader,
        expected_version=1,
    )
    response = cast.client_for("partner_x").get(
        reverse("demands:history", args=[demand.pk]), {"a": 1, "b": 2}
    )
    content = response.content.decode()
    assert "Version 1 compared with version 2" in content
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in content
    assert "<script>alert" not in content


def test_history_with_unknown_revisions_shows_the_list_only(cast, demand):
    response = cast.client_for("leader").get(
        reverse("demands:history", args=[demand.pk]), {"a": 1, "b": 99}
    )
    assert response.status_code == 200
    assert "compared with" not in response.content.decode()
    bad = cast.client_for("leader").get(reverse("demands:history", args=[demand.pk]), {"a": "x"})
    assert bad.status_code == 404


def test_adopting_with_an_empty_assessment_gives_a_clear_message(cast, demand):
    demand.send_to_review(by=cast.leader)
    response = cast.client_for("leader").post(
        reverse("demands:transition", args=[demand.pk]),
        {"to": "adopted", "why": "Vote"},
        follow=True,
    )
    content = response.content.decode()
    assert "Complete the racial equity impact assessment first" in content
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.REVIEW


def test_a_leader_adopts_a_complete_coauthored_demand(cast):
    demand = make_demand(cast.campaign, coauthors=[cast.organisation_x], complete=True)
    demand.send_to_review(by=cast.leader)
    response = cast.client_for("leader").post(
        reverse("demands:transition", args=[demand.pk]),
        {"to": "adopted", "why": "Coalition vote, 14-0"},
        follow=True,
    )
    assert "is now “Adopted”" in response.content.decode()
    assert demand.transitions.filter(to_status="adopted", why="Coalition vote, 14-0").exists()


@pytest.mark.parametrize(
    "who,status",
    [("partner_x", 403), ("steward_a", 403), ("partner_y", 404), ("other_leader", 404)],
)
def test_only_leaders_change_status_or_publish(cast, demand, who, status):
    client = cast.client_for(who)
    assert (
        client.post(reverse("demands:transition", args=[demand.pk]), {"to": "review"}).status_code
        == status
    )
    assert client.get(reverse("demands:publish", args=[demand.pk])).status_code == status
    assert client.post(reverse("demands:publish", args=[demand.pk])).status_code == status
    assert client.post(reverse("demands:unpublish", args=[demand.pk])).status_code == status
    demand.refresh_from_db()
    assert demand.status == Demand.Status.DRAFT and not demand.is_published


def test_publish_preview_then_publish_then_unpublish(cast, demand):
    client = cast.client_for("leader")
    preview = client.get(reverse("demands:publish", args=[demand.pk])).content.decode()
    assert "A nurse at every school, every day." in preview
    assert "Draft" in preview
    assert "Three schools share one nurse." not in preview  # the problem stays internal
    assert not Demand.objects.published().exists()
    client.post(reverse("demands:publish", args=[demand.pk]))
    assert list(Demand.objects.published()) == [demand]
    client.post(reverse("demands:unpublish", args=[demand.pk]))
    assert not Demand.objects.published().exists()


def test_the_public_sees_no_demand_pages(cast, demand):
    demand.publish(by=cast.leader)
    client = cast.client_for("anonymous")
    for name in ["detail", "history", "edit", "publish"]:
        response = client.get(reverse(f"demands:{name}", args=[demand.pk]))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_comments_with_and_without_htmx(cast, demand):
    client = cast.client_for("partner_x")
    url = reverse("demands:comment", args=[demand.pk])
    response = client.post(url, {"body": "Parents at Oak Grove agree."}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Parents at Oak Grove agree." in response.content.decode()
    assert 'data-announce="Comment added."' in response.content.decode()
    response = client.post(url, {"body": "Second <i>thought</i>"})
    assert response.status_code == 302
    empty = client.post(url, {"body": ""}, follow=True)
    assert "Write something before adding a comment." in empty.content.decode()
    assert DemandComment.objects.filter(demand=demand).count() == 2
    detail = client.get(demand.get_absolute_url()).content.decode()
    assert "Second &lt;i&gt;thought&lt;/i&gt;" in detail
    assert cast.client_for("partner_y").post(url, {"body": "Hi"}).status_code == 404
    assert cast.client_for("steward_a").post(url, {"body": "Hi"}).status_code == 403
    assert (
        "Add comment"
        not in cast.client_for("steward_a").get(demand.get_absolute_url()).content.decode()
    )


def test_partners_endorse_for_their_own_organisation_only(cast, demand):
    url = reverse("demands:endorse", args=[demand.pk])
    assert (
        cast.client_for("partner_x").post(url, {"organisation": cast.organisation_y.pk}).status_code
        == 403
    )
    assert (
        cast.client_for("partner_y").post(url, {"organisation": cast.organisation_y.pk}).status_code
        == 404
    )
    assert (
        cast.client_for("steward_a").post(url, {"organisation": cast.organisation_x.pk}).status_code
        == 403
    )
    response = cast.client_for("partner_x").post(url, {"organisation": cast.organisation_x.pk})
    assert response.status_code == 302
    assert DemandEndorsement.objects.filter(
        demand=demand, organisation=cast.organisation_x
    ).exists()
    cast.client_for("partner_x").post(
        reverse("demands:unendorse", args=[demand.pk]), {"organisation": cast.organisation_x.pk}
    )
    assert not DemandEndorsement.objects.exists()
    cast.client_for("leader").post(url, {"organisation": cast.organisation_y.pk})
    assert DemandEndorsement.objects.filter(organisation=cast.organisation_y).exists()


@pytest.mark.parametrize(
    "who,status", [("leader", 200), ("steward_a", 403), ("partner_x", 403), ("anonymous", 302)]
)
def test_who_starts_a_demand(cast, who, status):
    response = cast.client_for(who).get(reverse("demands:create"))
    assert response.status_code == status


def test_a_leader_starts_a_demand_with_a_first_revision(cast):
    response = cast.client_for("leader").post(
        reverse("demands:create"),
        {
            "campaign": cast.campaign.pk,
            "title": "Housing for unhoused students",
            "summary": "",
            "problem": "",
            "solution": "",
            "category": "housing",
            "priority": 2,
        },
    )
    demand = Demand.objects.get(title="Housing for unhoused students")
    assert response["Location"] == reverse("demands:edit", args=[demand.pk])
    assert demand.revisions.count() == 1 and demand.created_by == cast.leader


def test_a_leader_cannot_start_a_demand_in_another_locals_campaign(cast):
    other_campaign = f.make_campaign(cast.other_local)
    response = cast.client_for("leader").post(
        reverse("demands:create"),
        {"campaign": other_campaign.pk, "title": "Sneaky", "category": "wages", "priority": 2},
    )
    assert response.status_code == 200
    assert not Demand.objects.filter(title="Sneaky").exists()


# Constant query counts ------------------------------------------------------------------


def _fill(cast, n):
    for i in range(n):
        d = make_demand(cast.campaign, title=f"Demand {i}", coauthors=[cast.organisation_x])
        DemandComment.objects.create(demand=d, author=cast.leader, body="c")


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_list_queries_do_not_grow_with_demands(cast):
    client = cast.client_for("leader")
    url = reverse("demands:list")
    _fill(cast, 3)
    small = _count(client, url)
    _fill(cast, 27)
    assert _count(client, url) == small


def test_detail_and_history_queries_do_not_grow(cast, demand):
    client = cast.client_for("partner_x")
    detail, history = demand.get_absolute_url(), reverse("demands:history", args=[demand.pk])

    def grow(n):
        for i in range(n):
            DemandComment.objects.create(demand=demand, author=cast.partner_x, body=f"c{i}")
            current = Demand.objects.get(pk=demand.pk)
            current.edit(
                changes={"problem": f"p{i}"}, by=cast.leader, expected_version=current.version
            )
            current.send_to_review(
                by=cast.leader
            ) if current.status == "draft" else current.return_to_draft(by=cast.leader)
            org = f.make_organisation(cast.local)
            demand.coauthors.add(org)
            DemandEndorsement.objects.create(demand=demand, organisation=org)

    grow(3)
    small = (_count(client, detail), _count(client, history))
    grow(27)
    assert (_count(client, detail), _count(client, history)) == small


def test_assessment_help_text_uses_the_toolkit_questions(cast, demand):
    content = (
        cast.client_for("leader").get(reverse("demands:edit", args=[demand.pk])).content.decode()
    )
    assert "Who benefits most and who is hurt most?" in content
    assert "Are they involved in naming the issues and solutions?" in content
    assert COMPLETE_ASSESSMENT  # the factory covers all eight parts


def test_a_conflict_takes_in_parts_only_the_other_person_changed(cast, demand):
    leader, partner = cast.client_for("leader"), cast.client_for("partner_x")
    partner_start = edit_data(demand)
    leader.post(
        reverse("demands:edit", args=[demand.pk]),
        edit_data(demand, reia_history="Cut in 2009.", reia_strategies="Petition the board."),
    )
    response = partner.post(
        reverse("demands:edit", args=[demand.pk]),
        {
            **partner_start,
            "reia_leadership": "Parents lead.",
            "reia_strategies": "Open bargaining.",
        },
    )
    assert response.status_code == 409
    form = response.context["form"]
    assert form["reia_history"].value() == "Cut in 2009."  # only theirs changed: taken in
    assert form["reia_leadership"].value() == "Parents lead."  # only yours changed: kept
    assert form["reia_strategies"].value() == "Open bargaining."  # both: yours, theirs beside
    assert [d.name for d in response.context["diffs"]] == ["reia_strategies"]
    assert "Petition" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).reia_leadership == ""


def test_the_status_panel_says_what_adoption_still_needs(cast):
    demand = make_demand(cast.campaign)
    demand.send_to_review(by=cast.leader)
    page = cast.client_for("leader").get(demand.get_absolute_url()).content.decode()
    assert "Before the coalition can adopt this demand" in page
    assert "must co-author or endorse" in page
    ready = make_demand(
        cast.campaign, title="Ready", coauthors=[cast.organisation_x], complete=True
    )
    ready.send_to_review(by=cast.leader)
    page = cast.client_for("leader").get(ready.get_absolute_url()).content.decode()
    assert "Before the coalition can adopt this demand" not in page


def test_a_partner_sees_each_of_their_demands_once_and_no_other(cast, demand):
    # Organisation X co-authors the fixture's demand; both X and Y review a second one.
    partner = cast.partner_x
    both = make_demand(cast.campaign, title="Counselors", shared_with=[cast.organisation_x])
    both.coauthors.add(cast.organisation_y)
    both.shared_with.add(cast.organisation_y)
    make_demand(cast.campaign, title="Union-only draft about pay")
    make_demand(f.make_campaign(cast.other_local), title="Another local's demand")
    visible = list(Demand.objects.visible_to(partner).values_list("title", flat=True))
    assert sorted(visible) == ["Counselors", "Nurses in every school"]
    assert list(Demand.objects.editable_by(partner)) == [demand]
    leader = sorted(Demand.objects.visible_to(cast.leader).values_list("title", flat=True))
    assert leader == ["Counselors", "Nurses in every school", "Union-only draft about pay"]


def test_the_leader_chooses_among_the_organisations_not_signed_on_yet(cast, demand):
    DemandEndorsement.objects.create(demand=demand, organisation=cast.organisation_x)
    page = cast.client_for("leader").get(reverse("demands:detail", args=[demand.pk]))
    choices = page.content.decode().split('id="endorse-org"')[1].split("</select>")[0]
    assert f'value="{cast.organisation_y.pk}">{cast.organisation_y.name}<' in choices
    assert f'value="{cast.organisation_x.pk}"' not in choices
