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
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()
