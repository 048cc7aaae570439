"""The exceptions dedup raises.

::

    DedupError                   base class: catch this to catch everything below
    ├── ConfigError              a parameter is out of range (also a ValueError)
    ├── InputError               input that cannot be processed (also a ValueError)
    │   ├── MissingPathError     a file or folder to read does not exist
    │   └── IndexLoadError       a saved or shared index that cannot be used as it is
    └── MissingDependencyError   an optional extra is needed and not installed (also an ImportError)

A ``TypeError`` is raised, unwrapped, where an argument has the wrong type, such as a
single string passed where an iterable of documents is expected.
"""


class DedupError(Exception):
    """Base class of all errors raised by dedup."""


class ConfigError(DedupError, ValueError):
    """A configuration value is invalid; the message names the value and the allowed range."""


class InputError(DedupError, ValueError):
    """Input that cannot be processed, such as a duplicate document id in one scan."""


class MissingPathError(InputError, FileNotFoundError):
    """A file or folder given to read does not exist."""


class IndexLoadError(InputError):
    """A saved or shared index that cannot be used; the message says why.

    It is corrupted, truncated or edited, or was made by an incompatible version or with
    incompatible settings. An index that fails to load is left as it was.
    """


class MissingDependencyError(DedupError, ImportError):
    """Reading some input needs an optional extra that is not installed; the message names it."""
