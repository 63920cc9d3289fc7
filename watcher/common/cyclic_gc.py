"""Pausing Python's cyclic garbage collector around work that allocates a lot and makes no
reference cycles.

Decoding a Prometheus answer of 15,000 series or copying a model of as many instances makes
millions of lists and dicts that live on; the collector, triggered by the allocations, scans
them again and again and doubles or triples the time. Reference counting still frees
everything such work drops. Pauses nest and may overlap across threads: the collector comes
back when the last one ends, if it was on before the first.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
