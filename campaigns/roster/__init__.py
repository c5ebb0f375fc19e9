"""Import a district roster export: read the file once, map its columns, preview what would
change (deciding about unknown work sites and problem rows), apply it in one transaction, and
undo it within 30 days; and export members in the same columns.

Re-importing next month's roster is safe: members are matched on employee id, else on work
email; existing members are updated, new ones added, and (only when the leader asks) members
missing from the roster are marked as having left (never deleted, never duplicated). The view
and the benchmark both go through ``parse_roster`` → ``build_preview`` → ``apply_preview``.
"""

from ..roster_files import (
    MAX_BYTES,
    MAX_ROWS,
    SYNONYMS,
    RosterError,
    Sheet,
    normal_header,
    parse_roster,
    read_roster,
)
from .apply import (
    AlreadyImported,
    ConfirmationNeeded,
    apply_preview,
    preview_for,
    run_import,
    undo_import,
)
from .export import (
    FORMULA_STARTS,
    _safe_cell,
    export_csv,
    export_csv_stream,
    export_headers,
    export_rows,
    export_xlsx,
)
from .preview import (
    CONFIRM_SHARE,
    CREATE,
    EMAIL_FIELDS,
    FIELD_NAMES,
    FIELDS,
    LIST_FIRST,
    MAX_LENGTHS,
    REQUIRED,
    SKIP,
    Preview,
    RowError,
    build_preview,
    guess_mapping,
    load_sheet,
    store_sheets,
)

__all__ = [
    "CONFIRM_SHARE",
    "CREATE",
    "EMAIL_FIELDS",
    "FIELDS",
    "FIELD_NAMES",
    "FORMULA_STARTS",
    "LIST_FIRST",
    "MAX_BYTES",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "REQUIRED",
    "SKIP",
    "SYNONYMS",
    "AlreadyImported",
    "ConfirmationNeeded",
    "Preview",
    "RosterError",
    "RowError",
    "Sheet",
    "_safe_cell",
    "apply_preview",
    "build_preview",
    "export_csv",
    "export_csv_stream",
    "export_headers",
    "export_rows",
    "export_xlsx",
    "guess_mapping",
    "load_sheet",
    "normal_header",
    "parse_roster",
    "preview_for",
    "read_roster",
    "run_import",
    "store_sheets",
    "undo_import",
]
