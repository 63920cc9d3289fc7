"""Service framework: native threads, heartbeats, periodic jobs, RPC server, graceful stop.

Every watcher service is a ``WatcherService``: an RPC server on its control topic (server
name = ``[DEFAULT] host``), a heartbeat that keeps its ``services`` row fresh, and the
periodic jobs its manager asks for. ``stop()`` first stops consuming, then lets the manager
finish or hand back its in-flight work, then stops the heartbeat.
"""

from __future__ import annotations

import datetime
import signal
import threading
from collections.abc import Callable

from oslo_log import log
from oslo_service import backend
from oslo_service.backend.base import ServiceBase
from oslo_utils import timeutils

from watcher import objects
from watcher.common import backend as backend_choice
from watcher.common import context as watcher_context
from watcher.common import exception, rpc
from watcher.conf import CONF
from watcher.notifications import events

LOG = log.getLogger(__name__)

ACTIVE = objects.service.ServiceStatus.ACTIVE
FAILED = objects.service.ServiceStatus.FAILED


def init_backend() -> None:
    """Settle oslo.service's backend: native threads unless the operator opted in to
    eventlet (``OS_WATCHER_DISABLE_EVENTLET_PATCHING`` = 0/false/no/n), then patched."""
    if backend_choice.eventlet_patching_requested():
        import eventlet

        if not eventlet.patcher.is_monkey_patched("thread"):
            eventlet.monkey_patch()
    backend.get_backend()


class PeriodicJob:
    """Runs ``fn`` every ``interval`` seconds in a daemon thread until stopped."""

    def __init__(
        self, name: str, fn: Callable[[], None], interval: Callable[[], float] | float
    ) -> None:
        self.name = name
        self._fn = fn
        self._interval = interval if callable(interval) else (lambda: interval)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, run_now: bool = True) -> None:
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._loop, args=(run_now,), name=self.name, daemon=True
        )
        self._thread.start()

    def _loop(self, run_now: bool) -> None:
        if not run_now and self._stop.wait(self._interval()):
            return
        while not self._stop.is_set():
            try:
                self._fn()
            except Exception:
                LOG.exception("Periodic job %s failed", self.name)
            if self._stop.wait(self._interval()):
                return

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)


class ServiceHeartbeat:
    """Keeps this host's row of ``services`` (name, host) fresh every ``periodic_interval``."""

    def __init__(self, service_name: str, host: str | None = None) -> None:
        self.service_name = service_name
        self.host = host or CONF.host
        self.context = watcher_context.get_admin_context()
        self.job = PeriodicJob(
            f"heartbeat-{service_name}", self.beat, lambda: CONF.periodic_interval
        )

    def beat(self) -> None:
        rows = objects.Service.list(
            self.context, filters={"name": self.service_name, "host": self.host}
        )
        if rows:
            row = rows[0]
            row.last_seen_up = timeutils.utcnow()
            row.save()
            return
        try:
            objects.Service(
                self.context,
                name=self.service_name,
                host=self.host,
                last_seen_up=timeutils.utcnow(),
            ).create()
        except exception.ServiceAlreadyExists:
            # Another worker process of this host registered it first.
            pass

    def start(self) -> None:
        self.job.start()

    def stop(self) -> None:
        self.job.stop()

    def mark_down(self) -> None:
        """A cleanly stopped service reports FAILED at once instead of after
        ``service_down_time``, so the other hosts take its work over without waiting."""
        rows = objects.Service.list(
            self.context, filters={"name": self.service_name, "host": self.host}
        )
        for row in rows:
            row.last_seen_up = timeutils.utcnow() - datetime.timedelta(
                seconds=CONF.service_down_time + 1
            )
            row.save()


class WatcherService(ServiceBase):
    """One watcher service (decision engine or applier) in this process.

    ``manager`` is the RPC endpoint; it may provide ``periodic_jobs()`` (list of PeriodicJob),
    ``on_start()`` and ``stop(wait)`` for graceful shutdown of its in-flight work.
    """

    def __init__(self, name: str, topic: str, manager, host: str | None = None) -> None:
        self.name = name
        self.topic = topic
        self.manager = manager
        self.host = host or CONF.host
        self.heartbeat = ServiceHeartbeat(name, self.host)
        self._server = None
        self._jobs: list[PeriodicJob] = []
        self._stopped = threading.Event()

    def start(self) -> None:
        init_backend()
        self._stopped.clear()
        self.heartbeat.beat()
        if hasattr(self.manager, "on_start"):
            self.manager.on_start()
        self._server = rpc.get_server(self.topic, self.host, [self.manager])
        self._server.start()
        self.heartbeat.job.start(run_now=False)
        self._jobs = list(getattr(self.manager, "periodic_jobs", lambda: [])())
        for job in self._jobs:
            job.start()
        LOG.info("%s started on %s (topic %s)", self.name, self.host, self.topic)

    def stop(self, graceful: bool = True) -> None:
        if self._stopped.is_set():
            return
        LOG.info("%s stopping on %s", self.name, self.host)
        if self._server is not None:
            self._server.stop()
        for job in self._jobs:
            job.stop()
        if hasattr(self.manager, "stop"):
            self.manager.stop(wait=graceful)
        if self._server is not None:
            self._server.wait()
        self.heartbeat.stop()
        if graceful:
            try:
                self.heartbeat.mark_down()
            except Exception:
                LOG.exception("Could not record that %s stopped", self.name)
        self._stopped.set()

    def wait(self) -> None:
        self._stopped.wait()

    def reset(self) -> None:
        """SIGHUP: oslo.service reloads mutable options; nothing is cached here."""


class ServiceMonitor:
    """Failover for one service name, run on every host, acting only on the leader.

    The leader is the alphabetically first ACTIVE host. On each tick it announces status
    changes (``service.update``), calls ``handle_failed`` with the FAILED hosts, then
    ``rescue_stalled`` for work whose message was lost (a broker that restarted with
    non-durable queues, a service stopped after it took a message).
    """

    def __init__(self, service_name: str) -> None:
        self.service_name = service_name
        self.context = watcher_context.get_admin_context()
        self._last_status: dict[str, str] = {}

    def statuses(self) -> tuple[dict[str, str], list]:
        services = objects.Service.list(self.context, filters={"name": self.service_name})
        return {svc.host: svc.get_status() for svc in services}, services

    def is_leader(self) -> bool:
        statuses, _ = self.statuses()
        alive = sorted(host for host, status in statuses.items() if status == ACTIVE)
        return bool(alive) and alive[0] == CONF.host

    def tick(self) -> None:
        statuses, services = self.statuses()
        alive = sorted(host for host, status in statuses.items() if status == ACTIVE)
        if not alive or alive[0] != CONF.host:
            self._last_status = statuses
            return
        for svc in services:
            old = self._last_status.get(svc.host)
            if old is not None and old != statuses[svc.host]:
                events.send_service_update(self.context, svc, old, statuses[svc.host])
        self._last_status = statuses
        failed = sorted(host for host, status in statuses.items() if status == FAILED)
        if failed:
            self.handle_failed(failed, alive)
        self.rescue_stalled()

    def handle_failed(self, failed_hosts: list[str], alive_hosts: list[str]) -> None:
        raise NotImplementedError

    def rescue_stalled(self) -> None:
        """Re-send work left waiting longer than ``service_down_time``; none by default."""

    @staticmethod
    def stalled(obj, now=None) -> bool:
        last = obj.updated_at or obj.created_at
        if last is None:
            return False
        now = (now or timeutils.utcnow()).replace(tzinfo=None)
        return (now - last.replace(tzinfo=None)).total_seconds() > CONF.service_down_time


def launch(service: WatcherService, workers: int = 1) -> None:
    """Run ``service`` until SIGTERM/SIGINT, then stop it gracefully.

    One worker runs in this process with plain signal handlers (no fork, so a supervisor's
    SIGKILL hits the real service); more workers go through oslo.service's launcher.
    """
    init_backend()
    if workers == 1:
        stop_requested = threading.Event()

        def _on_signal(signum, frame):
            LOG.info("Signal %s received: stopping", signum)
            stop_requested.set()

        signal.signal(signal.SIGTERM, _on_signal)
        signal.signal(signal.SIGINT, _on_signal)
        service.start()
        while not stop_requested.wait(1):
            pass
        service.stop(graceful=True)
        return
    # Imported here: importing oslo_service.service selects a backend, which must be the
    # one init_backend chose.
    from oslo_service import service as oslo_service

    launcher = oslo_service.launch(CONF, service, workers=workers, restart_method="mutate")
    launcher.wait()
