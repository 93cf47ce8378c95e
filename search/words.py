"""What was typed in the search box, read the way web search engines read it.

`health hospital` both words; `health or clinic` either; `-hospital` not that word;
`"flu shot"` the words together, in that order. Words are letters and digits, compared without
case or accents ("clinica" finds "Clínica") and by their stem, as PostgreSQL's `english`
configuration compares them ("clinics" finds "clinic", "classes" "class"), the little words it
leaves out left out ("the clinic that does diabetes classes" looks for clinic, diabetes and
classes); a word written with punctuation inside it ("co-host", "rosa@clinic.org") is its
words together. Nothing typed reaches a query language: PostgreSQL gets a tsquery written here
from the words (`tsquery`), which it stems itself; SQLite compares the words' stems row by row
(search.sqlite); the words found are marked by their stems (search.marks). The stems are
Snowball's English stemmer's, the one PostgreSQL's english_stem dictionary runs (the version
pinned in requirements.txt).
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_TERMS = 10
# PostgreSQL's english.stop (the words its english configuration leaves out), as shipped.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom
    this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"[^\W_]+")


# Letters PostgreSQL's unaccent maps that Unicode does not decompose ("Søren", "Łódź", "Æsir").
_LETTERS = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ı": "i",
        "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T", "ŀ": "l", "Ŀ": "L",
    }
)  # fmt: skip
# Snowball's stemmer keeps its work on the instance: one word at a time.
_STEMMING = threading.Lock()


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, without accents: how two words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def split(text: str) -> list[str]:
    """A text's words as written, each accent kept with its letter (composed first: "Cli" and
    a combining accent and "nica" is one word)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def words_of(text: str) -> list[str]:
    return [fold(word) for word in split(text)]


@lru_cache(maxsize=8192)
def key(word: str) -> str:
    """How a word is compared: folded and stemmed; "" for a word left out ("the")."""
    folded = fold(word)
    if folded in STOP_WORDS:
        return ""
    with _STEMMING:
        return _STEMMER.stemWord(folded)


def keys_of(text: str) -> list[str]:
    """The keys of a text's words, "_" holding the place of each word left out (a phrase's
    words must be as far apart as they are in the text, as in PostgreSQL's tsvector)."""
    return [key(word) or "_" for word in split(text)]


@dataclass(frozen=True)
class Term:
    """One word, or several in a row (a phrase); `negated`: the record must not have it.
    `words` as typed, folded (PostgreSQL stems them and skips the little ones itself, keeping
    their places in a phrase); `keys` those compared here (search.words.key)."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k in map(key, self.words) if k)

    @property
    def spaced_keys(self) -> str:
        """The keys in a row, "_" for each little word between them (search.sqlite)."""
        return " ".join(key(word) or "_" for word in self.words).strip(" _")

    def tsquery(self) -> str:
        # Only letters and digits, quoted: read by to_tsquery as plain lexemes.
        phrase = " <-> ".join(f"'{word}'" for word in self.words)
        phrase = f"({phrase})" if len(self.words) > 1 else phrase
        return f"!{phrase}" if self.negated else phrase


@dataclass(frozen=True)
class Query:
    """Clauses all of which must hold; a clause holds when one of its terms does."""

    clauses: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return any(not term.negated for clause in self.clauses for term in clause)

    def tsquery(self) -> str:
        return self._joined([list(clause) for clause in self.clauses])

    def wanted_tsquery(self) -> str:
        """The words looked for, without those left out: a record whose name holds them comes
        first, and the others are ranked by them (ts_rank gives nothing to a query that leaves
        a word out)."""
        wanted = [[t for t in clause if not t.negated] for clause in self.clauses]
        return self._joined([clause for clause in wanted if clause])

    @staticmethod
    def _joined(clauses: list[list[Term]]) -> str:
        parts = []
        for clause in clauses:
            either = " | ".join(term.tsquery() for term in clause)
            parts.append(f"({either})" if len(clause) > 1 else either)
        return " & ".join(parts)

    def wanted(self) -> set[str]:
        """The keys of the words looked for (not those ruled out): those marked where shown."""
        terms = [term for clause in self.clauses for term in clause if not term.negated]
        return {k for term in terms for k in term.keys}

    def plain_words(self) -> list[str]:
        """The words typed when nothing but words was typed (for the look-alike names), else []."""
        if any(len(clause) > 1 or clause[0].negated for clause in self.clauses):
            return []
        words = [word for clause in self.clauses for word in clause[0].words]
        return [word for word in words if word not in STOP_WORDS]


def query_read(text: str) -> Query:
    """The Query of a search box entry; an empty Query (false) when nothing is looked for."""
    clauses: list[list[Term]] = []
    either = False
    terms = 0
    for match in _TOKEN.finditer(text[:500]):
        if terms == MAX_TERMS:  # only the first terms count: a pasted paragraph is no search
            break
        negated, quoted, bare = match.group(1) == "-", match.group(2), match.group(3)
        if bare is not None and bare.lower() == "or" and clauses:
            either = True
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = True, bare[1:]
        words = tuple(words_of(quoted if bare is None else bare))
        if not Term(words).keys:  # nothing but little words ("the"), or no word at all
            continue
        term = Term(words, negated)
        terms += 1
        if either:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        either = False
    kept = [tuple(clause) for clause in clauses]
    if kept and all(term.negated for clause in kept for term in clause):
        return Query(())
    return Query(tuple(kept))
