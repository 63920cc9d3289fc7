"""Which concurrency backend oslo.service uses: native threads unless the operator opts in.

oslo.versionedobjects and oslo.messaging import oslo.service, which picks its backend on
that first import and defaults to eventlet. ``watcher/__init__`` registers this module's
hook before anything else is imported, so every watcher process starts on native threads.
Setting ``OS_WATCHER_DISABLE_EVENTLET_PATCHING`` to 0/false/no/n selects eventlet, as
upstream does.
"""

import os

from oslo_service import backend as service_backend

DISABLE_PATCHING_ENV = "OS_WATCHER_DISABLE_EVENTLET_PATCHING"


def eventlet_patching_requested() -> bool:
    value = os.environ.get(DISABLE_PATCHING_ENV, "true").strip().lower()
    return value in ("0", "false", "no", "n")


def default_backend() -> service_backend.BackendType:
    if eventlet_patching_requested():
        return service_backend.BackendType.EVENTLET
    return service_backend.BackendType.THREADING


def register() -> None:
    service_backend.register_backend_default_hook(default_backend)
