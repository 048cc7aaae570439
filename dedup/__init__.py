"""dedup: find near-duplicate, syndicated and paraphrased text.

>>> from dedup import Detector
>>> det = Detector()
>>> det.add("wire", "Officials confirmed on Wednesday that the peacekeepers are leaving the region.")
[]
"""

from ._config import DetectorConfig
from ._detector import Detector, Match, Pair, ScanResult
from ._exceptions import ConfigError, DedupError, IndexLoadError, InputError, MissingPathError
from ._minhash import MinHasher
from ._normalize import normalize
from ._rerank import Scores
from ._verdict import Verdict

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DedupError",
    "Detector",
    "DetectorConfig",
    "IndexLoadError",
    "InputError",
    "Match",
    "MinHasher",
    "MissingPathError",
    "Pair",
    "ScanResult",
    "Scores",
    "Verdict",
    "normalize",
]
