"""Two versions of a proposal side by side, word by word, with what changed marked."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass
class SideBySide:
    old: SafeString
    new: SafeString
    added: int
    removed: int


def compare_texts(old: str, new: str) -> SideBySide:
    """Every word is escaped before it is wrapped in <del> or <ins>, so user text stays text."""
    a, b = TOKENS.findall(old), TOKENS.findall(new)
    left, right = [], []
    added = removed = 0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if i2 > i1:
            left.append(f"<del>{old_part}</del>")
            removed += sum(1 for t in a[i1:i2] if not t.isspace())
        if j2 > j1:
            right.append(f"<ins>{new_part}</ins>")
            added += sum(1 for t in b[j1:j2] if not t.isspace())
    return SideBySide(
        old=mark_safe("".join(left)),  # noqa: S308  (every part was escaped above)
        new=mark_safe("".join(right)),  # noqa: S308
        added=added,
        removed=removed,
    )
