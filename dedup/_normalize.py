"""Stage 1, text -> normalised text: Unicode NFKC and case folding.

The tokeniser applies NFKC per text and folds case on the bytes of a whole batch; the
result is the same as tokenising :func:`normalize`'s output.

Punctuation and whitespace are not rewritten here: the tokeniser treats every character
that is not a letter, mark or digit as a separator, which is cheaper than a character
translation and makes curly and straight quotes, dashes and runs of whitespace equal.
"""

from __future__ import annotations

import unicodedata

# Turkish writes i with and without a dot in both cases (i İ, ı I): case folding maps İ to
# i and a combining dot and leaves ı alone, so "KIŞ" and "kış" would differ. All four fold to i.
DOTTED_AND_DOTLESS_I = {0x130: "I", 0x131: "i"}


def nfkc(text: str) -> str:
    """``text`` in Unicode normal form NFKC (compatibility characters replaced)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


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
    return nfkc(nfkc(text).translate(DOTTED_AND_DOTLESS_I).casefold())
