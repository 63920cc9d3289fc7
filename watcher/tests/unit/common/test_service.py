import datetime
import os
import signal
import subprocess
import sys
import textwrap
import time

from oslo_utils import timeutils

from watcher import objects
from watcher.common import service


def test_heartbeat_registers_then_refreshes(env):
    beat = service.ServiceHeartbeat("watcher-applier", "host-x")
    beat.beat()
    [row] = objects.Service.list(env.context, filters={"name": "watcher-applier"})
    first = row.last_seen_up
    row.last_seen_up = first - datetime.timedelta(minutes=10)
    row.save()
    assert row.get_status() == "FAILED"
    beat.beat()
    [row] = objects.Service.list(env.context, filters={"name": "watcher-applier"})
    assert row.host == "host-x"
    assert row.last_seen_up >= first
    assert row.get_status(timeutils.utcnow()) == "ACTIVE"


def test_periodic_job_runs_until_stopped():
    calls = []
    job = service.PeriodicJob("t", lambda: calls.append(1), 0.01)
    job.start()
    time.sleep(0.2)
    job.stop(1)
    count = len(calls)
    time.sleep(0.05)
    assert count >= 3 and len(calls) == count


def test_periodic_job_survives_a_failing_run():
    calls = []

    def flaky():
        calls.append(1)
        raise RuntimeError("transient")

    job = service.PeriodicJob("t", flaky, 0.01)
    job.start()
    time.sleep(0.1)
    job.stop(1)
    assert len(calls) >= 2


def _run_child(env_value):
    code = textwrap.dedent(
        """
        import watcher.objects  # imports oslo.messaging, which selects the backend
        from oslo_service import backend
        print(backend.get_backend_type().value)
        """
    )
    env = dict(os.environ)
    env.pop("OS_WATCHER_DISABLE_EVENTLET_PATCHING", None)
    if env_value is not None:
        env["OS_WATCHER_DISABLE_EVENTLET_PATCHING"] = env_value
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    return out.stdout.strip().splitlines()[-1]


def test_native_threads_by_default_eventlet_on_request():
    assert _run_child(None) == "threading"
    assert _run_child("no") == "eventlet"


def test_sigterm_stops_a_service_gracefully(tmp_path):
    code = textwrap.dedent(
        """
        import sys, time
        from watcher.common import service

        class Fake(service.WatcherService):
            def __init__(self):
                pass
            def start(self):
                print("started", flush=True)
            def stop(self, graceful=True):
                time.sleep(0.2)
                print("stopped graceful=%s" % graceful, flush=True)

        service.launch(Fake())
        print("exited", flush=True)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "started"
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    assert out.split() == ["stopped", "graceful=True", "exited"]
    assert proc.returncode == 0
