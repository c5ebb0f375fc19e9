"""Word-level comparison of two versions of a demand, for side-by-side display.

Both sides are escaped here and only our own <del>/<ins> marks are added, so the result is
safe to render although the text was typed by users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word with the whitespace that follows it: keeps line breaks and makes tokens distinctive.
TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    left: SafeString
    right: SafeString
    changed: bool


def _join(tokens: list[str]) -> str:
    return escape("".join(tokens))


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString, bool]:
    """Return (old with deletions marked, new with insertions marked, whether they differ)."""
    if old == new:
        same = mark_safe(escape(old))  # noqa: S308  (escaped just above)
        return same, same, False
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            text = _join(a[i1:i2])
            left.append(text)
            right.append(text)
            continue
        if i2 > i1:
            left.append(f"<del>{_join(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")
    return mark_safe("".join(left)), mark_safe("".join(right)), True  # noqa: S308


def compare(old: dict, new: dict, labels: dict[str, str]) -> list[FieldDiff]:
    """One FieldDiff per field, in the order of ``labels``."""
    rows = []
    for name, label in labels.items():
        left, right, changed = word_diff(str(old.get(name, "") or ""), str(new.get(name, "") or ""))
        rows.append(FieldDiff(name=name, label=label, left=left, right=right, changed=changed))
    return rows
