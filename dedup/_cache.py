"""The user's cache folder, where work worth keeping between processes is stored.

``dedup`` in ``$XDG_CACHE_HOME`` (by default ``~/.cache``) holds numba's compiled kernels
(see ``_kernels``) and the background rarity table (see ``_rarity``). Anything in it may
be deleted at any time: it is made again when next needed. Where no folder can be
written, the work is done again in every process.
"""

from __future__ import annotations

import os
import tempfile


def folder(name: str) -> str | None:
    """The folder ``dedup/<name>`` in the user's cache folder, made if needed; ``None`` when it cannot be written."""
    user_cache = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(user_cache):  # as the XDG specification says: ignore a relative path
        user_cache = os.path.join(os.path.expanduser("~"), ".cache")
    return writable(os.path.join(user_cache, "dedup", name))


def writable(path: str) -> str | None:
    """``path``, a folder made if needed, or ``None`` when a file cannot be written in it."""
    try:
        os.makedirs(path, exist_ok=True)
        tempfile.TemporaryFile(dir=path).close()
    except OSError:
        return None
    return path
