"""Reading the audit trail: the changes in a leader's locals, newest first, a page at a time.

One entry is one change of the database as a person made it: a request (pghistory's context)
or, for work without one (a shell, a background job), one transaction (its events share the
transaction's time). An entry of one to three records lists each, named in words and linked to
its page; a bigger one (a roster import, a bulk update) is one line that opens into its rows.
The grouping, the filters and the paging run in PostgreSQL over the union of the event tables,
so a page costs the same number of queries however long the trail.
"""

from .entries import Entries, RowList, describe
from .naming import Namer
from .sources import (
    BY_KEY,
    KINDS,
    SOURCES,
    Change,
    Entry,
    Filters,
    Source,
    entry_key,
    filters_for_key,
    register,
)

__all__ = [
    "BY_KEY",
    "KINDS",
    "SOURCES",
    "Change",
    "Entries",
    "Entry",
    "Filters",
    "Namer",
    "RowList",
    "Source",
    "describe",
    "entry_key",
    "filters_for_key",
    "register",
]
