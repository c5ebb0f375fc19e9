"""The demand's model methods: workflow, adoption rules, revisions, locking, diffs."""

import re

import pytest

from demands.diff import compare, compare_texts, word_diff
from demands.models import Demand, DemandEndorsement, EditConflict, TransitionError

from .factories import COMPLETE_ASSESSMENT, make_demand

pytestmark = pytest.mark.django_db


def test_each_transition_is_recorded_with_who_and_why(cast):
    demand = make_demand(cast.campaign, by=cast.leader)
    demand.send_to_review(by=cast.leader, why="Ready for the coalition table.")
    record = demand.transitions.get()
    assert (record.from_status, record.to_status) == ("draft", "review")
    assert record.by == cast.leader
    assert record.why == "Ready for the coalition table."
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.REVIEW


def test_a_transition_the_workflow_does_not_allow_is_refused(cast):
    demand = make_demand(cast.campaign)
    with pytest.raises(TransitionError):
        demand.win(by=cast.leader)
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.DRAFT
    assert not demand.transitions.exists()


def test_adoption_needs_a_complete_assessment(cast):
    demand = make_demand(cast.campaign, coauthors=[cast.organisation_x])
    demand.send_to_review(by=cast.leader)
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    assert "Complete the racial equity impact assessment" in " ".join(error.value.messages)
    assert "history" in " ".join(error.value.messages)
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.REVIEW


def test_adoption_needs_a_partner_who_coauthored_or_endorsed(cast):
    demand = make_demand(cast.campaign, complete=True)
    demand.send_to_review(by=cast.leader)
    with pytest.raises(TransitionError) as error:
        demand.adopt(by=cast.leader)
    assert "partner organisation" in " ".join(error.value.messages)
    DemandEndorsement.objects.create(demand=demand, organisation=cast.organisation_y)
    demand.adopt(by=cast.leader)
    assert Demand.objects.get(pk=demand.pk).status == Demand.Status.ADOPTED


def test_move_to_dispatches_to_the_method_with_its_checks(cast):
    demand = make_demand(cast.campaign)
    demand.send_to_review(by=cast.leader)
    with pytest.raises(TransitionError):
        demand.move_to("adopted", by=cast.leader)


def test_every_edit_keeps_a_revision_with_the_full_text(cast):
    demand = make_demand(cast.campaign, by=cast.leader)
    demand.edit(changes={"problem": "First words."}, by=cast.partner_x, expected_version=1)
    demand.edit(changes={"problem": "Second words."}, by=cast.leader, expected_version=2)
    revisions = list(demand.revisions.order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3]
    assert revisions[1].snapshot["problem"] == "First words."
    assert revisions[1].by == cast.partner_x
    assert revisions[2].snapshot["title"] == demand.title
    assert Demand.objects.get(pk=demand.pk).version == 3


def test_a_stale_edit_is_refused_and_changes_nothing(cast):
    demand = make_demand(cast.campaign)
    demand.edit(changes={"problem": "Theirs."}, by=cast.leader, expected_version=1)
    stale = Demand.objects.get(pk=demand.pk)
    with pytest.raises(EditConflict) as conflict:
        stale.edit(changes={"problem": "Mine."}, by=cast.partner_x, expected_version=1)
    assert conflict.value.current.problem == "Theirs."
    assert Demand.objects.get(pk=demand.pk).problem == "Theirs."
    assert demand.revisions.count() == 2


def test_word_diff_marks_changed_words_and_escapes_user_text():
    left, right, changed = word_diff(
        "Hire <b>nurses</b> now.", "Hire <b>nurses</b> and counselors now."
    )
    assert changed
    assert "<ins>and counselors</ins>" in right or "<ins>and counselors </ins>" in right
    assert "&lt;b&gt;nurses&lt;/b&gt;" in left
    assert "<b>" not in left and "<b>" not in right
    assert "<del>" not in left


def test_word_diff_is_correct_on_long_texts():
    words = [f"word{n}" for n in range(5000)]
    old = " ".join(words)
    changed_words = list(words)
    changed_words[2500] = "CHANGED"
    del changed_words[100]
    new = " ".join(changed_words)
    left, right, changed = word_diff(old, new)
    assert changed
    assert "<del>word100 </del>" in left
    assert "<del>word2500 </del>" in left
    assert "<ins>CHANGED </ins>" in right
    assert left.count("<del>") == 2 and right.count("<ins>") == 1
    # Taking the marks away gives back each side exactly.
    assert re.sub(r"</?del>", "", str(left)) == old
    assert re.sub(r"</?ins>", "", str(right)) == new


def test_compare_lists_unchanged_fields_as_unchanged():
    rows = compare({"a": "x", "b": "y"}, {"a": "x", "b": "z"}, {"a": "A", "b": "B"})
    assert [r.changed for r in rows] == [False, True]


def test_assessment_completeness_and_publishing(cast):
    demand = make_demand(cast.campaign)
    assert not demand.assessment_complete
    assert len(demand.assessment_missing()) == 8
    demand.edit(changes=COMPLETE_ASSESSMENT, by=cast.leader, expected_version=1)
    assert demand.assessment_complete
    assert not Demand.objects.published().exists()
    demand.publish(by=cast.leader)
    assert list(Demand.objects.published()) == [demand]
    demand.unpublish(by=cast.leader)
    assert not Demand.objects.published().exists()


def test_folding_keeps_the_changed_sentences_and_folds_the_rest():
    sentences = [f"Sentence {n} about nurses." for n in range(40)]
    changed = list(sentences)
    changed[20] = "Sentence 20 about counselors."
    diff = compare_texts(" ".join(sentences), " ".join(changed), fold=True)
    assert (diff.added, diff.removed) == (1, 1)
    assert "<del>nurses." in diff.old and "<ins>counselors." in diff.new
    assert "Sentence 20 about " in diff.old and "Sentence 20 about " in diff.new
    for far in ("Sentence 0 about", "Sentence 19 about", "Sentence 21 about", "Sentence 39"):
        assert far not in diff.old and far not in diff.new
    assert diff.old.count("diff-gap") == 2
    unfolded = compare_texts(" ".join(sentences), " ".join(changed))
    assert "Sentence 0 about nurses." in unfolded.old and "diff-gap" not in unfolded.old


def test_proposal_and_demand_comparisons_count_words_alike():
    diff = compare_texts("No class over 28 students.", "No class over 24 students, ever.")
    assert (diff.added, diff.removed) == (3, 2)
    assert "&lt;" in compare_texts("a", "<b>").new
