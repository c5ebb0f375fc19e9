"""Bargaining at the table: sessions, proposals and their versions, tentative agreements and
the events that shape a campaign, plus the campaign's public open-bargaining page.

Leaders of the local read and edit all of it. The public sees only what a leader published,
item by item, through the ``published()`` queryset methods. Publishing, unpublishing and
editing a published item go through the item's methods (``publish(by=...)``,
``unpublish()``, ``save_edits()``), which move the campaign's public version in the same
transaction, so the cached page, the feed, the calendar and the PDF report follow.

The bargaining record also tells each demand's story: tabling a proposal that carries a
demand puts the demand at the table, and recording a tentative agreement on that proposal
makes it tentatively agreed, through the demand's own status methods.

The models live one module per topic; everything is importable from ``bargaining.models`` as
before: the other apps and the migrations import from here.
"""

from .base import LedQuerySet, Publishable, localized
from .events import CampaignEvent
from .implementation import Commitment
from .pages import PublicPage, PublishedReport
from .table import (
    ContractArticle,
    Proposal,
    ProposalVersion,
    Session,
    TentativeAgreement,
    VersionQuerySet,
)

__all__ = [
    "CampaignEvent",
    "Commitment",
    "ContractArticle",
    "LedQuerySet",
    "Proposal",
    "ProposalVersion",
    "PublicPage",
    "Publishable",
    "PublishedReport",
    "Session",
    "TentativeAgreement",
    "VersionQuerySet",
    "localized",
]
