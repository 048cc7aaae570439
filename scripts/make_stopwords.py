"""Regenerate the stop word lists: the words of a language with a Zipf frequency of 5 or more.

Run with ``wordfreq`` installed: ``python scripts/make_stopwords.py > dedup/stopwords.txt`` for
English, ``python scripts/make_stopwords.py de > dedup/stopwords-de.txt`` for another language.
The lists are committed rather than computed at run time so that signatures never change
with a package upgrade.
"""

import math
import sys
from importlib.metadata import version

import wordfreq

ZIPF_MIN = 5.0

language = sys.argv[1] if len(sys.argv) > 1 else "en"
# Zipf frequency as wordfreq rounds it, from the frequency list itself: wordfreq's own
# look-up tokenises the word first, which for Chinese and Japanese needs a segmenter.
frequencies = wordfreq.get_frequency_dict(language)
# The list writes every digit as 0 and gives such patterns the frequency of all their numbers.
words = {
    w for w, f in frequencies.items()
    if round(math.log10(f) + 9, 2) >= ZIPF_MIN and (len(w) == 1 or not any(c.isdigit() for c in w))
}  # fmt: skip
NAMES = {"en": "English", "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
         "pl": "Polish", "ru": "Russian", "tr": "Turkish", "zh": "Chinese",
         "ja": "Japanese", "ko": "Korean"}  # fmt: skip
print(f"# {NAMES.get(language, language)} words with a Zipf frequency >= {ZIPF_MIN} in wordfreq {version('wordfreq')}.")
print("# Regenerate with scripts/make_stopwords.py.")
print("\n".join(sorted(words)))
