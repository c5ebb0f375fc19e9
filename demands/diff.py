"""Word-level comparison of two texts, for side-by-side display: the one diff of the app,
used by a demand's history and by bargaining's comparison of two proposal versions.

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
# Where unchanged sentences are folded, how many are kept beside each change: none, since
# a changed sentence is shown whole, its unchanged words included.
CONTEXT = 0
GAP = '<span class="diff-gap">…</span> '


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    left: SafeString
    right: SafeString
    changed: bool


@dataclass(frozen=True)
class SideBySide:
    """Two texts with what changed marked, and how many words were added and removed."""

    old: SafeString
    new: SafeString
    added: int
    removed: int


def _join(tokens: list[str]) -> str:
    return escape("".join(tokens))


def _word_count(tokens: list[str]) -> int:
    return sum(len(token.split()) for token in tokens)


def _unchanged(tokens: list[str], *, first: bool, last: bool, fold: bool) -> str:
    """An unchanged run of sentences; folded to the sentences beside the changes when asked."""
    if not fold or len(tokens) <= 2 * CONTEXT + 1:
        return _join(tokens)
    head = [] if first or not CONTEXT else tokens[:CONTEXT]
    tail = [] if last or not CONTEXT else tokens[-CONTEXT:]
    return _join(head) + GAP + _join(tail)


def compare_texts(old: str, new: str, *, fold: bool = False) -> SideBySide:
    """Compare two texts word by word; ``fold`` shortens unchanged sentences between the
    changes to an ellipsis, keeping ``CONTEXT`` of them beside each change.

    Long texts are compared sentence by sentence first (sentences are nearly unique, so this
    is fast), then word by word inside the sentences that changed: exact and quick even for
    pages of text with many repeated words.
    """
    old, new = old or "", new or ""
    if old == new:
        same = mark_safe(_unchanged(SENTENCE.findall(old), first=True, last=True, fold=fold))  # noqa: S308
        return SideBySide(same, same, 0, 0)
    a, b = SENTENCE.findall(old), SENTENCE.findall(new)
    left: list[str] = []
    right: list[str] = []
    added = removed = 0
    matcher = SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            edges = {"first": index == 0, "last": index == len(opcodes) - 1, "fold": fold}
            left.append(_unchanged(a[i1:i2], **edges))
            right.append(_unchanged(b[j1:j2], **edges))
        elif op == "delete":
            left.append(f"<del>{_join(a[i1:i2])}</del>")
            removed += _word_count(a[i1:i2])
        elif op == "insert":
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")
            added += _word_count(b[j1:j2])
        else:
            more, fewer = _words(
                TOKEN.findall("".join(a[i1:i2])), TOKEN.findall("".join(b[j1:j2])), left, right
            )
            added, removed = added + more, removed + fewer
    return SideBySide(
        mark_safe("".join(left)),  # noqa: S308  (every part was escaped above)
        mark_safe("".join(right)),  # noqa: S308
        added,
        removed,
    )


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString, bool]:
    """Return (old with deletions marked, new with insertions marked, whether they differ)."""
    diff = compare_texts(old, new)
    return diff.old, diff.new, (old or "") != (new or "")


def _words(a: list[str], b: list[str], left: list[str], right: list[str]) -> tuple[int, int]:
    added = removed = 0
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
            removed += _word_count(a[i1:i2])
        if j2 > j1:
            right.append(f"<ins>{_join(b[j1:j2])}</ins>")
            added += _word_count(b[j1:j2])
    return added, removed


def compare(old: dict, new: dict, labels: dict[str, str], *, fold: bool = False) -> list[FieldDiff]:
    """One FieldDiff per field, in the order of ``labels``."""
    rows = []
    for name, label in labels.items():
        before, after = str(old.get(name, "") or ""), str(new.get(name, "") or "")
        diff = compare_texts(before, after, fold=fold)
        rows.append(FieldDiff(name, label, diff.old, diff.new, before != after))
    return rows
