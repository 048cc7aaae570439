"""Regenerate ``dedup/stopwords.txt``: the English words with a Zipf frequency of 5 or more.

Run with ``wordfreq`` installed: ``python scripts/make_stopwords.py > dedup/stopwords.txt``.
The list is committed rather than computed at run time so that signatures never change
with a package upgrade.
"""

from importlib.metadata import version

import wordfreq

ZIPF_MIN = 5.0

words = {w for w in wordfreq.top_n_list("en", 5000) if wordfreq.zipf_frequency(w, "en") >= ZIPF_MIN}
print(f"# English words with a Zipf frequency >= {ZIPF_MIN} in wordfreq {version('wordfreq')}.")
print("# Regenerate with scripts/make_stopwords.py.")
print("\n".join(sorted(words)))
