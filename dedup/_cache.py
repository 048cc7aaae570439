"""The user's cache folder, where work worth keeping between processes is stored.

``dedup`` in ``$XDG_CACHE_HOME`` (by default ``~/.cache``) holds numba's compiled kernels
(see ``_kernels``) and the background rarity table (see ``_rarity``). Anything in it may
be deleted at any time: it is made again when next needed. Where no folder can be
written, the work is done again in every process.
"""

from __future__ import annotations

import functools
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


@functools.cache
def numba_folder() -> str | None:
    """The folder numba keeps the compiled kernels in between processes, or ``None`` when it cannot be written.

    ``NUMBA_CACHE_DIR`` when it is set, else ``dedup/numba`` in the user's cache folder
    (see ``_cache``): numba's own default, the package's ``__pycache__``, is often
    read-only once installed. Without a folder that can be written the kernels are
    compiled in every process, silently.
    """
    given = os.environ.get("NUMBA_CACHE_DIR")
    return writable(given) if given else folder("numba")


def use_numba_folder() -> bool:
    """Point numba's cache at :func:`numba_folder`, before the kernels are defined; whether there is one.

    numba reads ``NUMBA_CACHE_DIR`` when it is imported and again before each compilation;
    this process's kernels are then cached there, and later processes find them.
    """
    import numba

    where = numba_folder()
    if where is None:
        return False
    os.environ["NUMBA_CACHE_DIR"] = where
    numba.core.config.reload_config()  # type: ignore[no-untyped-call]
    return True
