"""Word-level comparison of two versions of a demand, for side-by-side display.

Both sides are escaped here (the standard library's escape, which escapes the same five
characters as Django's and is faster on thousands of fragments) and only our own <del>/<ins>
marks are added, so the result is safe to render although the text was typed by users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape

from django.utils.safestring import SafeString, mark_safe

# A word with the whitespace after it; words are matched without their whitespace, so a word
# that gains a space or a line break after it is not reported as changed.
TOKEN = re.compile(r"\S+\s*|\s+")
# A sentence or a line, with the whitespace after it.
SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)\s*")


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
    """Return (old with deletions marked, new with insertions marked, whether they differ).

    Long texts are compared sentence by sentence first (sentences are nearly unique, so this
    is fast), then word by word inside the sentences that changed: exact and quick even for
    pages of text with many repeated words.
    """
    if old == new:
        same = mark_safe(escape(old))  # noqa: S308  (escaped just above)
        return same, same, False
    a, b = SENTENCE.findall(old or ""), SENTENCE.findall(new or "")
    left: list[str] = []
    right: list[str] = []
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_join(a[i1:i2]))
            right.append(_join(b[j1:j2]))
        elif op == "delete":
            left.append(f"<del>{_join(a[i1:i2])}</del>")
        elif op == "insert":
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")
        else:
            _words(TOKEN.findall("".join(a[i1:i2])), TOKEN.findall("".join(b[j1:j2])), left, right)
    return mark_safe("".join(left)), mark_safe("".join(right)), True  # noqa: S308


def _words(a: list[str], b: list[str], left: list[str], right: list[str]) -> None:
    matcher = SequenceMatcher(
        None, [t.rstrip() for t in a], [t.rstrip() for t in b], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(_join(a[i1:i2]))
            right.append(_join(b[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{_join(a[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")


def compare(old: dict, new: dict, labels: dict[str, str]) -> list[FieldDiff]:
    """One FieldDiff per field, in the order of ``labels``."""
    rows = []
    for name, label in labels.items():
        left, right, changed = word_diff(str(old.get(name, "") or ""), str(new.get(name, "") or ""))
        rows.append(FieldDiff(name=name, label=label, left=left, right=right, changed=changed))
    return rows
