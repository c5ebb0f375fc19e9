"""The bargaining team's pages: leaders of the campaign's local only.

Stewards and partners get 403 (bargaining is the bargaining team's business until it is
published); a leader of another local gets 404, so ids cannot be probed.

The views live one module per topic; ``bargaining/urls.py`` refers to them through this module.
"""

from .campaign import (
    campaign_detail,
    index,
    public_articles_preview,
    public_page_preview,
    public_page_settings,
)
from .implementation import (
    article_tracker_switch,
    commitment_evidence,
    commitment_form,
    commitments,
    version_withdraw,
)
from .publishing import preview, publish
from .table import (
    agreement_form,
    articles,
    compare,
    event_form,
    proposal_detail,
    proposal_edit,
    proposal_new,
    session_detail,
    session_form,
    session_report,
    version_edit,
    version_new,
)
from .translations import translations

__all__ = [
    "agreement_form",
    "article_tracker_switch",
    "articles",
    "campaign_detail",
    "commitment_evidence",
    "commitment_form",
    "commitments",
    "compare",
    "event_form",
    "index",
    "preview",
    "proposal_detail",
    "proposal_edit",
    "proposal_new",
    "public_articles_preview",
    "public_page_preview",
    "public_page_settings",
    "publish",
    "session_detail",
    "session_form",
    "session_report",
    "translations",
    "version_edit",
    "version_new",
    "version_withdraw",
]
