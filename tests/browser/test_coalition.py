"""The coalition decides together, in the browser: a partner's amendment is accepted and shows
in the history; two partner organisations decide on a demand (the co-authoring one objects,
then changes to agree) and the leader adopts it only once the campaign's rule is met."""

import re

import pytest

from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.browser

# In coalition review in the demo, co-authored by the youth organisation and shared with the
# parents' organisation (the demo partner's); no other journey moves it.
DEMAND = "Interpreters and family liaisons at every site"
PARENTS = "Twin Rivers Parents for Public Schools"


def open_demand(visit, email, viewport, name):
    person = visit(viewport, name)
    person.sign_in(email)
    person.page.goto("/demands/")
    person.page.get_by_role("link", name=DEMAND).click()
    person.page.get_by_role("heading", name=DEMAND, exact=True).wait_for()
    return person


def test_an_amendment_is_accepted_and_the_coalition_decides_before_adoption(visit):
    partner = open_demand(visit, "partner@example.org", PHONE, "coalition-partner")
    leader = open_demand(visit, "leader@example.org", LAPTOP, "coalition-leader")
    youth = open_demand(visit, "youth.partner@example.org", PHONE, "coalition-youth")

    # The parents' partner proposes an amendment on the phone.
    partner.page.get_by_role("link", name="Propose an amendment").click()
    partner.page.get_by_label("Why this change").fill("Say who pays for the liaisons.")
    summary = partner.page.get_by_label("Summary")
    summary.fill(summary.input_value() + " Paid from the district's general fund.")
    # The assessment the demand still lacks comes with the amendment.
    for label, text in [
        ("History", "Liaison posts were cut in 2011 and filled by unpaid volunteers since."),
        ("Solutions", "Families who speak Hmong or Spanish hear from the school first-hand."),
        ("Strategies", "Parents testify at the board in their own languages."),
        ("Leadership", "The youth organisation's interpreters lead the campaign."),
        ("Data sources", "District language census; listening sessions."),
    ]:
        partner.page.get_by_label(label).fill(text)
    partner.page.get_by_role("button", name="Propose the amendment").click()
    partner.page.get_by_text("Amendment proposed").wait_for()
    assert "<ins>" in partner.page.content()
    partner.shot("amendment proposed")

    # The leader accepts it: it becomes the next version, by the partner.
    leader.page.reload()
    leader.page.locator("#amendments").get_by_role("link", name=f"From {PARENTS}").first.click()
    leader.page.get_by_text("Say who pays for the liaisons.").wait_for()
    leader.page.get_by_role("button", name="Accept the amendment").click()
    leader.page.get_by_text(re.compile(r"Accepted: the amendment is version \d+")).wait_for()
    leader.shot("amendment accepted")
    leader.page.get_by_role("link", name=re.compile(r"Version \d+ in the history")).click()
    leader.page.get_by_role("heading", name=re.compile("compared with version")).wait_for()
    history = leader.page.content()
    assert "general fund" in history and "Denise Walker" in history

    # The leader asks the two organisations for a decision.
    leader.page.goto(leader.page.url.split("/history/")[0] + "/")
    leader.page.get_by_role("link", name="Ask the coalition for a decision").first.click()
    leader.page.get_by_label("Deadline").fill("2031-06-01T17:00")
    leader.page.get_by_role("button", name="Ask for a decision").click()
    leader.page.get_by_text("The organisations are asked for their decision.").wait_for()
    decision_url = leader.page.url

    # The co-authoring youth organisation objects; the parents agree.
    youth.page.goto(decision_url)
    youth.page.get_by_label("Object", exact=True).check()
    youth.page.get_by_label("Reason").fill("Youth interpreters must be paid, not volunteers.")
    youth.page.get_by_role("button", name="Record the decision").click()
    youth.page.get_by_text("decision is recorded: Object").wait_for()
    youth.shot("objects")
    partner.page.goto(decision_url)
    partner.page.get_by_label("Agree", exact=True).check()
    partner.page.get_by_label("Reason").fill("Families need this now.")
    partner.page.get_by_role("button", name="Record the decision").click()
    partner.page.get_by_text("decision is recorded: Agree").wait_for()
    partner.shot("agrees")

    # The leader cannot adopt while a co-author objects: the page says why.
    leader.page.get_by_role("link", name=DEMAND).first.click()
    leader.page.get_by_label("Adopted").check()
    leader.page.get_by_label("Why").fill("The coalition decided.")
    leader.page.get_by_role("button", name="Change status").click()
    leader.page.get_by_text("A co-authoring organisation objects").first.wait_for()
    leader.shot("adoption refused")

    # The youth organisation changes its answer before the deadline; now the rule is met.
    youth.page.goto(decision_url)
    youth.page.get_by_label("Agree", exact=True).check()
    youth.page.get_by_label("Reason").fill("The amendment pays them from the general fund.")
    youth.page.get_by_role("button", name="Record the decision").click()
    youth.page.get_by_text("decision is recorded: Agree").wait_for()
    leader.page.reload()
    leader.page.get_by_label("Adopted").check()
    leader.page.get_by_label("Why").fill("Both organisations agree.")
    leader.page.get_by_role("button", name="Change status").click()
    leader.page.get_by_text("The demand is now “Adopted”.").wait_for()
    page = leader.page.content()
    assert "Kiara Nguyen" in page and "Denise Walker" in page
    leader.shot("adopted")
