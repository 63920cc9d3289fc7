"""What every collector shares: the live model, atomic swaps, patching, snapshots, retries.

A collector owns one live model. :meth:`synchronize` builds a whole new model outside any
lock and swaps it in; notification endpoints patch the live model through :meth:`patch`,
under the same lock. Patches that arrive while a rebuild is running are replayed on the new
model after the swap, so an event is never lost to a rebuild that started before it.
"""

from __future__ import annotations

import abc
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from keystoneauth1 import exceptions as ks_exc
from oslo_config import cfg
from oslo_log import log

from watcher.common import clients as watcher_clients
from watcher.common import exception
from watcher.conf import CONF

LOG = log.getLogger(__name__)

T = TypeVar("T")

COLLECTORS_NAMESPACE = "watcher_cluster_data_model_collectors"


def _worth_retrying(exc: Exception) -> bool:
    # A 4xx answer or a configuration error (no credentials, no endpoint in the catalog)
    # will be the same next time; connection errors and 5xx may not.
    if isinstance(exc, ks_exc.ConnectionError):
        return True
    if isinstance(exc, (ks_exc.AuthorizationFailure, ks_exc.CatalogException)):
        return False
    if isinstance(exc, ks_exc.MissingAuthPlugin):
        return False
    status = getattr(exc, "status_code", None) or getattr(exc, "http_status", None)
    return not (isinstance(status, int) and 400 <= status < 500)


def call_retry(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` tried [collector] api_query_max_retries times."""
    attempts = CONF.collector.api_query_max_retries
    for attempt in range(1, attempts + 1):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            if attempt == attempts or not _worth_retrying(exc):
                raise
            LOG.warning(
                "%s failed (attempt %d of %d): %s",
                getattr(fn, "__name__", fn),
                attempt,
                attempts,
                exc,
            )
            time.sleep(CONF.collector.api_query_interval)
    raise AssertionError("unreachable")


class BaseClusterDataModelCollector(abc.ABC):
    """One kind of cluster data model (compute, storage...) kept up to date."""

    # JSON schema of this collector's part of an audit scope (upstream's SCHEMA attribute).
    SCHEMA: dict = {}

    def __init__(
        self,
        config: cfg.ConfigOpts.GroupAttr | None = None,
        osc: watcher_clients.OpenStackClients | None = None,
    ) -> None:
        self.config = config
        self.osc = osc or watcher_clients.OpenStackClients()
        self.sync_lock = threading.RLock()
        self._model = None
        self._building = 0
        self._pending: list[Callable] = []
        self._synced = threading.Event()
        self._scheduled = False
        self.last_error: str | None = None

    @classmethod
    def get_name(cls) -> str:
        return cls.__name__

    @property
    def period(self) -> float:
        return self.config.period if self.config is not None else 3600

    @property
    def notification_endpoints(self) -> list:
        """oslo.messaging notification endpoints patching this collector's model."""
        return []

    @abc.abstractmethod
    def execute(self):
        """Build and return a whole new model from the cloud's APIs."""

    # -- the live model -------------------------------------------------------------------

    @property
    def cluster_data_model(self):
        """The live model (None before the first successful collection)."""
        return self._model

    def set_cluster_data_model(self, model) -> None:
        with self.sync_lock:
            self._model = model
            self._synced.set()

    def synchronize(self) -> None:
        """Rebuild the model; on failure keep the old one, marked stale, with the reason."""
        with self.sync_lock:
            self._building += 1
        try:
            started = time.monotonic()
            model = self.execute()
        except Exception as exc:
            LOG.exception("%s: collection failed, the model is now stale", self.get_name())
            with self.sync_lock:
                self._building -= 1
                if self._building == 0:
                    self._pending.clear()
                self.last_error = str(exc) or type(exc).__name__
                if self._model is not None:
                    self._model.stale = True
                self._synced.set()
            return
        with self.sync_lock:
            self._building -= 1
            for patch in self._pending:
                self._apply(patch, model)
            if self._building == 0:
                self._pending.clear()
            self._model = model
            self.last_error = None
            self._synced.set()
        LOG.info(
            "%s: model rebuilt in %.2fs (%s)", self.get_name(), time.monotonic() - started, model
        )

    def patch(self, change: Callable[[Any], None]) -> None:
        """Apply ``change(model)`` to the live model (and to a model being rebuilt)."""
        with self.sync_lock:
            if self._building:
                self._pending.append(change)
            if self._model is not None:
                self._apply(change, self._model)

    @staticmethod
    def _apply(change: Callable[[Any], None], model) -> None:
        try:
            change(model)
        except exception.WatcherException as exc:
            # An event about something the model does not hold (yet) is not an error.
            LOG.debug("Model change %s skipped: %s", change, exc)

    def expect_sync(self) -> None:
        """A rebuild job exists: readers may wait for its first run."""
        self._scheduled = True

    def wait_for_first_sync(self, timeout: float) -> bool:
        """Wait for the first collection to end (at once when no rebuild job exists)."""
        return self._synced.is_set() or (self._scheduled and self._synced.wait(timeout))

    def get_latest_cluster_data_model(self):
        """A snapshot of the live model for one audit (None before the first collection)."""
        with self.sync_lock:
            return self._model.copy() if self._model is not None else None
