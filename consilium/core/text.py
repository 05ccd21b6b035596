"""Search keys that make one name findable in any of our languages and either script.

Users type a name the way they know it: Cyrillic or Latin, Kazakh in the 2021 Latin alphabet,
an English transliteration, with or without diacritics (`Асфендияров`, `Asfendiyarov`,
`asfendiarov`; `Қарағанды`, `Qaraǵandy`, `Karaganda`). `search_key` folds all of them onto one
Latin skeleton: Cyrillic letters of Russian, Ukrainian and Kazakh are transliterated,
diacritics dropped, spelling variants that transliteration systems disagree on (y/i, kh/h/g,
zh/j, sh/ş, ch/ç, ts/c, q/k, w/v) merged and doubled letters collapsed. The stored key of a
record and the key of a query are built by the same function, so matching is a plain substring
test that any database runs.
"""

import re
import unicodedata

_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "’": "",
    "'": "",
    "ʼ": "",
}
_LATIN_SPECIAL = {"ı": "i", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"}
# Order matters: digraphs are merged before single letters.
_VARIANTS = (
    ("kh", "h"),
    ("zh", "j"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("h", "g"),
    ("q", "k"),
    ("w", "v"),
    ("x", "ks"),
    ("y", "i"),
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DOUBLES = re.compile(r"([a-z])\1+")


def search_key(text: str) -> str:
    """The Latin skeleton of ``text``: lower case, words separated by single spaces."""
    lowered = text.casefold()
    latin = "".join(_CYRILLIC.get(ch, _LATIN_SPECIAL.get(ch, ch)) for ch in lowered)
    # Kazakh Latin letters (ş, ç, ǵ, ń, ú) carry the sound in the diacritic: spell them out
    # before the diacritics are dropped.
    latin = latin.replace("ş", "sh").replace("ç", "ch")
    decomposed = unicodedata.normalize("NFKD", latin)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for variant, canonical in _VARIANTS:
        plain = plain.replace(variant, canonical)
    plain = _NON_WORD.sub(" ", plain)
    return _DOUBLES.sub(r"\1", plain).strip()


def search_document(*texts: str | None) -> str:
    """One searchable string for a record: the keys of all its names, each once."""
    keys: list[str] = []
    for text in texts:
        if text:
            key = search_key(text)
            if key and key not in keys:
                keys.append(key)
    # Separated so that a query never matches across two different names.
    return " | ".join(keys)


def document_words(document: str) -> set[str]:
    """The distinct words of a search document, cut to the index's width."""
    return {word[:60] for word in document.replace("|", " ").split()}


def prefix_range(word: str) -> tuple[str, str]:
    """Bounds [low, high) of every string that starts with ``word`` (a lowercase key)."""
    return word, word[:-1] + chr(ord(word[-1]) + 1)


def is_number(value: str) -> bool:
    """True for a plain non-negative integer in ASCII digits (``"²"`` and ``"١"`` are not)."""
    return value.isascii() and value.isdecimal() and len(value) < 18
