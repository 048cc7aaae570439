"""Stage 1, text -> normalised text: Unicode NFKC and case folding.

Punctuation and whitespace are not rewritten here: the tokeniser treats every character
that is not a letter, mark or digit as a separator, which is cheaper than a character
translation and makes curly and straight quotes, dashes and runs of whitespace equal.
"""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Return ``text`` in NFKC form and case-folded.

    Examples
    --------
    >>> normalize("Ｆｕｌｌ-width ﬁle, STRASSE")
    'full-width file, strasse'
    """
    if text.isascii():
        return text.casefold()
    # Case folding can leave text that is not in NFKC form (a Greek iota subscript after a
    # combining mark), so normalise again: normalising twice then changes nothing.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
