"""Watcher: resource optimization for OpenStack clouds (wire-compatible re-implementation)."""

import warnings

__version__ = "0.1.0"

# oslo.utils imports eventlet whenever it is installed, and eventlet warns on import. Watcher
# runs on native threads and uses eventlet only when the operator opts in, so the warning is
# noise on every command's output.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
# The same import of eventlet loads dnspython, whose DSA classes make cryptography warn (eight
# lines at the start of every command) about an algorithm Watcher never uses.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"dns\.")

# Before any OpenStack library import: pick oslo.service's backend (native threads by default).
from watcher.common import backend as _backend  # noqa: E402

_backend.register()
