"""Organization names compared for duplicates: one key for every way of writing the same name.

"Tamarack County Health Dept." and "Tamarack Co. Health Department" are the same agency, as are
"Café Hope" and "CAFE-HOPE": `normalize_name` gives them one key, which Organization stores
(`normalized_name`) and the duplicate warning, the partner picker and imports look up.
"""

import re
import unicodedata

# Each word compares as the one it is filed under, so its abbreviations and spellings match it.
# Words with two meanings file both under one: "St." is a saint or a street, "Co." a county or a
# company (an agency and a business of the same name are rare; a missed duplicate is not).
SAME_WORDS: dict[str, tuple[str, ...]] = {
    "association": ("assn", "assoc"),
    "center": ("centre", "ctr", "cntr"),
    "centers": ("centres", "ctrs"),
    "community": ("comm", "cmty"),
    "corporation": ("corp",),
    "county": ("co", "cnty", "company"),
    "department": ("dept", "dpt"),
    "departments": ("depts",),
    "district": ("dist",),
    "elementary": ("elem",),
    "fort": ("ft",),
    "foundation": ("fdn", "fndn"),
    "government": ("govt",),
    "hospital": ("hosp",),
    "incorporated": ("inc",),
    "institute": ("inst",),
    "international": ("intl",),
    "medical": ("med",),
    "mount": ("mt",),
    "national": ("natl",),
    "organization": ("organisation", "org"),
    "saint": ("st", "street"),
    "service": ("svc",),
    "services": ("svcs",),
    "township": ("twp",),
    "university": ("univ",),
}
FILED_UNDER = {spelling: word for word, spellings in SAME_WORDS.items() for spelling in spellings}
# Left out of the key: "Parks & Recreation" and "Parks and Recreation" are one name.
IGNORED_WORDS = frozenset({"and"})
# Organization.normalized_name's length: a longer key (a name full of abbreviations) is cut.
KEY_LENGTH = 200

# An apostrophe joins a word ("Int'l", "Gov't", "Mary's"); "co-" starts one ("Co-op").
APOSTROPHES = re.compile(r"['\u2019\u02bc]")
CO_PREFIX = re.compile(r"\bco-(?=\w)")
SEPARATORS = re.compile(r"[\W_]+")


def normalize_name(name: str) -> str:
    """A name reduced for duplicate detection: case, accents, punctuation, spacing and common
    abbreviations ignored.

    "St. Mary's Clinic", "st marys  clinic" and "Saint Mary's Clinic" all give "saintmarysclinic";
    "Tamarack County Health Dept." and "Tamarack Co Health Department" give
    "tamarackcountyhealthdepartment".
    """
    decomposed = unicodedata.normalize("NFKD", name)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    joined = CO_PREFIX.sub("co", APOSTROPHES.sub("", without_accents))
    words = (FILED_UNDER.get(word, word) for word in SEPARATORS.split(joined))
    return "".join(word for word in words if word not in IGNORED_WORDS)[:KEY_LENGTH]
