"""The words found, marked: in a result's title, and in a few words around the first of them in
its longer text. Written here rather than by PostgreSQL's ts_headline (which reads each text
again) so that both databases mark alike; the words compared as search.words compares them
(by their keys: "Clinics" is marked for "clinic").
"""

import re
import unicodedata
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from core.rows import escape
from search.words import key

_WORD = re.compile(r"[^\W_]+")
BEFORE, AFTER = 8, 22


def _found(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    if not wanted:
        return []
    words = _WORD
    if text.isascii():  # only the words that begin as a key does are stemmed
        words = _beginnings(frozenset(wanted))
    return [m.span() for m in words.finditer(text) if key(m.group()) in wanted]


@lru_cache(maxsize=64)
def _beginnings(wanted: frozenset[str]) -> re.Pattern[str]:
    """The words (of ASCII text) that may have one of these keys: a word's key is its stem,
    which keeps the word's letters but for its last ("classes" class, "studies" studi, "hoping"
    hope; "dying" die, its last two), so a word that has it begins with all of it but those."""
    starts = sorted(
        {re.escape(stem[:-2] if stem.endswith("ie") else stem[:-1]) for stem in wanted},
        key=len,
        reverse=True,
    )
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(starts)})[^\W_]*", re.IGNORECASE)


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    parts: list[str] = []
    at = 0
    for start, end in spans:
        parts.append(escape(text[at:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:]))
    return "".join(parts)


def has_a_word(text: str, wanted: set[str]) -> bool:
    """Whether the text has one of the words looked for."""
    return bool(_found(unicodedata.normalize("NFC", text), wanted))


def marked(text: str, wanted: set[str]) -> SafeString:
    """The whole text, escaped, with the words found in <mark> (composed first, as
    search.words.split reads it: an accent typed apart from its letter is marked with it)."""
    text = unicodedata.normalize("NFC", text)
    return mark_safe(_marked(text, _found(text, wanted)))  # noqa: S308 - escaped above


def excerpt(texts: list[str], wanted: set[str]) -> SafeString:
    """A few words around the first word found in the first text that has one, marked; the
    start of the first non-empty text when none has (a match of a phrase split by a line)."""
    texts = [unicodedata.normalize("NFC", text) for text in texts]
    for text in texts:
        spans = _found(text, wanted)
        if spans:
            return mark_safe(_around(text, spans))  # noqa: S308 - escaped in _around
    first = next((text for text in texts if text.strip()), "")
    return mark_safe(_around(first, []))  # noqa: S308


def _around(text: str, spans: list[tuple[int, int]]) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return escape(text[:200])
    first = next((i for i, m in enumerate(words) if spans and m.start() == spans[0][0]), 0)
    lo, hi = max(first - BEFORE, 0), min(first + AFTER, len(words) - 1)
    start = 0 if lo == 0 else words[lo].start()
    end = len(text) if hi == len(words) - 1 else words[hi].end()
    inside = [(s - start, e - start) for s, e in spans if start <= s and e <= end]
    body = _marked(text[start:end], inside)
    return f"{'… ' if start else ''}{body}{' …' if end < len(text) else ''}"
