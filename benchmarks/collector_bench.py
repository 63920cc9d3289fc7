#!/usr/bin/env python3
"""Compute collector benchmark: full collections of generated clouds served by the simulator.

For each size (hypervisors; 20 servers each) a ``watcher-simulator`` process serves the
cloud and a fresh collector process (so peak memory is its own) builds the compute model
twice: cold (every Placement inventory fetched) and warm (inventories cached by provider
generation). Printed per size: wall time, the collector's peak RSS, the HTTP requests the
simulator served per API, and the cost of the per-audit views (snapshot ``copy()``,
``arrays()`` and one vectorised usage reduction).

    .venv/bin/python benchmarks/collector_bench.py --sizes 100,1000,5000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

SERVERS_PER_HOST = 20


def _start_simulator(hypervisors: int, clouds_yaml: str) -> tuple[subprocess.Popen, str]:
    spec = f"hypervisors={hypervisors},servers={hypervisors * SERVERS_PER_HOST},seed=1"
    command = [sys.executable, "-m", "watcher.cmd.simulator", "--generate", spec,
               "--clouds-yaml", clouds_yaml, "--cloud-name", "bench"]
    log = open(clouds_yaml + ".log", "w", encoding="utf-8")  # noqa: SIM115 - lives with process
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    for line in process.stdout:
        if line.startswith("Keystone URL:"):
            return process, line.split(":", 1)[1].strip()
    code = process.wait()
    with open(log.name, encoding="utf-8") as handle:
        raise SystemExit(f"simulator exited with {code} before serving:\n{handle.read()}")


def _requests(auth_url: str) -> dict:
    root = auth_url.rsplit("/identity", 1)[0] + "/"
    with urllib.request.urlopen(root) as response:
        return json.load(response)["requests"]


def _delta(after: dict, before: dict) -> dict:
    return {k: after[k] - before.get(k, 0) for k in sorted(after) if after[k] - before.get(k, 0)}


def _peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def collect(clouds_yaml: str) -> dict:
    """Child process: configure [watcher_clients_auth] from clouds.yaml, collect twice."""
    import yaml
    from keystoneauth1 import loading as ks_loading

    import watcher  # noqa: F401 - selects the native-thread backend before oslo libraries
    from watcher.conf import CONF
    from watcher.decision_engine.model.collector import nova

    with open(clouds_yaml, encoding="utf-8") as handle:
        auth = yaml.safe_load(handle)["clouds"]["bench"]["auth"]
    CONF([], project="watcher", default_config_files=[])
    group = "watcher_clients_auth"
    CONF.register_opts(ks_loading.get_auth_plugin_conf_options("password"), group=group)
    CONF.set_override("auth_type", "password", group=group)
    for key, value in auth.items():
        CONF.set_override(key, value, group=group)

    auth_url = auth["auth_url"]
    collector = nova.NovaClusterDataModelCollector()
    result: dict = {}
    for label in ("cold", "warm"):
        before = _requests(auth_url)
        started = time.monotonic()
        collector.synchronize()
        elapsed = time.monotonic() - started
        if collector.last_error:
            raise SystemExit(f"collection failed: {collector.last_error}")
        result[label] = {"seconds": elapsed, "requests": _delta(_requests(auth_url), before)}
    model = collector.cluster_data_model
    result["nodes"] = len(model.get_all_compute_nodes())
    result["instances"] = len(model.get_all_instances())
    started = time.monotonic()
    snapshot = model.copy()
    result["copy_seconds"] = time.monotonic() - started
    started = time.monotonic()
    view = snapshot.arrays()
    result["arrays_seconds"] = time.monotonic() - started
    started = time.monotonic()
    view.usage()
    result["usage_seconds"] = time.monotonic() - started
    result["peak_rss_mb"] = _peak_rss_mb()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="comma-separated hypervisor counts (20 servers each)")
    parser.add_argument("--collect", metavar="CLOUDS_YAML", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.collect:
        print(json.dumps(collect(args.collect)))
        return 0

    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            clouds_yaml = os.path.join(tmp, "clouds.yaml")
            process, _ = _start_simulator(size, clouds_yaml)
            try:
                child = subprocess.run(
                    [sys.executable, __file__, "--collect", clouds_yaml],
                    capture_output=True, text=True, check=False)
                if child.returncode:
                    print(child.stderr[-3000:], file=sys.stderr)
                    return child.returncode
                result = json.loads(child.stdout.strip().splitlines()[-1])
            finally:
                process.terminate()
                process.wait(timeout=60)
        print(f"{size} hypervisors, {result['instances']} instances "
              f"({result['nodes']} nodes in the model)")
        for label in ("cold", "warm"):
            run = result[label]
            print(f"  {label} collection {run['seconds']:8.2f} s   "
                  f"{sum(run['requests'].values()):6d} requests {run['requests']}")
        print(f"  collector peak RSS  {result['peak_rss_mb']:8.1f} MB")
        print(f"  snapshot copy()     {result['copy_seconds']:8.3f} s   arrays() "
              f"{result['arrays_seconds']:.3f} s   usage() {result['usage_seconds'] * 1000:.1f} ms",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
