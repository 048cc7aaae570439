"""Stage 1, text -> normalised text: Unicode NFKC and case folding.

The tokeniser applies NFKC per text and folds case on the bytes of a whole batch; the
result is the same as tokenising :func:`normalize`'s output.

Punctuation and whitespace are not rewritten here: the tokeniser treats every character
that is not a letter, mark or digit as a separator, which is cheaper than a character
translation and makes curly and straight quotes, dashes and runs of whitespace equal.
"""

from __future__ import annotations

import unicodedata


def nfkc(text: str) -> str:
    """``text`` in Unicode normal form NFKC (compatibility characters replaced)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def nfkc_undotted(text: str) -> str:
    """``text`` in NFKC form with Turkish capital dotted İ written I and dotless ı written i.

    Turkish writes i with and without a dot in both cases (i İ, ı I). Case folding maps İ to
    i and a combining dot and leaves ı alone, so "KIŞ" and "kış" would differ; after this,
    all four fold to i. (Done on the text, as two searches, because ı is two bytes and i one.)
    """
    if text.isascii():
        return text
    return unicodedata.normalize("NFKC", text).replace("\u0130", "I").replace("\u0131", "i")


def normalize(text: str) -> str:
    """Return ``text`` in NFKC form and case-folded.

    Examples
    --------
    >>> normalize("Ｆｕｌｌ-width ﬁle, STRASSE")
    'full-width file, strasse'
    >>> normalize("KIŞ İstanbul") == normalize("kış istanbul")
    True
    """
    # Case folding can leave text that is not in NFKC form (a Greek iota subscript after a
    # combining mark), so normalise again: normalising twice then changes nothing.
    return nfkc(nfkc_undotted(text).casefold())
