"""dedup: find near-duplicate, syndicated and paraphrased text.

>>> from dedup import Detector
>>> det = Detector()
>>> det.add("wire", "Officials confirmed on Wednesday that the peacekeepers are leaving the region.")
[]
"""

from ._align import Passage, align
from ._boilerplate import Boilerplate
from ._config import DetectorConfig
from ._detector import Detector
from ._exceptions import (
    ConfigError,
    DedupError,
    IndexLoadError,
    InputError,
    MissingDependencyError,
    MissingPathError,
)
from ._groups import Group
from ._io import SkippedFileWarning, read_folder
from ._minhash import MinHasher
from ._normalize import normalize
from ._rerank import Scores
from ._results import Match, Pair, ScanResult
from ._source import Evidence
from ._verdict import Verdict

__version__ = "0.1.0"

__all__ = [
    "Boilerplate",
    "ConfigError",
    "DedupError",
    "Detector",
    "DetectorConfig",
    "Evidence",
    "Group",
    "IndexLoadError",
    "InputError",
    "Match",
    "MinHasher",
    "MissingDependencyError",
    "MissingPathError",
    "Pair",
    "Passage",
    "ScanResult",
    "Scores",
    "SkippedFileWarning",
    "Verdict",
    "align",
    "normalize",
    "read_folder",
]
