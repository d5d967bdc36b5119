"""Pausing Python's cyclic garbage collector around work that makes many short-lived,
acyclic objects (a parse, an export): its passes over them find nothing, and reference
counting frees them anyway."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic GC off for the block, and on again after it if it was on before."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
