"""Watcher: resource optimization for OpenStack clouds (wire-compatible re-implementation)."""

__version__ = "0.1.0"

# Before any OpenStack library import: pick oslo.service's backend (native threads by default).
from watcher.common import backend as _backend  # noqa: E402

_backend.register()
