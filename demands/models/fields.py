"""Which of a demand's fields are its text: what co-authors write, what a revision keeps and
what the public reads."""

from django.utils.translation import gettext_lazy as _

# The toolkit's six parts of a racial equity impact assessment, with its questions as help.
ASSESSMENT_HELP = {
    "reia_problems": _(
        "What racial inequities are you noticing or experiencing? What are the impacts on "
        "different racial groups? Who benefits most and who is hurt most?"
    ),
    "reia_causes": _(
        "What institutions, policies, or practices are causing or contributing to the "
        "inequities? What social norms, popular myths, or cultural biases may be contributing?"
    ),
    "reia_history": _("How did things get this way and are things worsening or improving?"),
    "reia_solutions": _(
        "What solutions could address the root causes and eliminate the inequities? How would "
        "different racial groups be impacted by the proposed solutions?"
    ),
    "reia_strategies": _("What strategies and actions could be used to advance the solutions?"),
    "reia_leadership": _(
        "Who are the stakeholders most affected by the inequities? Are they involved in naming "
        "the issues and solutions? What kinds of active leadership roles could they take to "
        "advance the proposed solution?"
    ),
    "groups_affected": _("The racial and other groups this demand affects."),
    "data_sources": _("Where the facts come from: district data, surveys, listening sessions."),
}
ASSESSMENT_FIELDS = list(ASSESSMENT_HELP)
TEXT_FIELDS = ["title", "summary", "problem", "solution"]
# What a revision keeps: everything co-authors write.
REVISION_FIELDS = TEXT_FIELDS + ASSESSMENT_FIELDS
# What the public page and the report show of a demand's text.
PUBLIC_FIELDS = ["title", "summary"]
