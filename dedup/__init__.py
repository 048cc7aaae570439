"""dedup: find near-duplicate, syndicated and paraphrased text.

>>> from dedup import Detector
>>> det = Detector()
>>> det.add("wire", "Officials confirmed on Wednesday that the peacekeepers are leaving the region.")
[]
"""

import importlib
import typing

from ._boilerplate import Boilerplate
from ._config import DetectorConfig
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
from ._source import Evidence
from ._verdict import Verdict

if typing.TYPE_CHECKING:
    from ._align import Passage, align
    from ._detector import Detector
    from ._rerank import Scores
    from ._results import Match, Pair, ScanResult

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

# Names whose modules import scipy, loaded on first use so that ``import dedup`` stays quick.
_LAZY = {
    "Detector": "._detector",
    "Match": "._results",
    "Pair": "._results",
    "ScanResult": "._results",
    "Passage": "._align",
    "align": "._align",
    "Scores": "._rerank",
}


def __getattr__(name: str) -> typing.Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value  # later look-ups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
