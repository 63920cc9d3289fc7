#!/usr/bin/env python3
"""Simulator benchmark: start a generated cloud with ``watcher-simulator`` in its own process
and page through it with the real clients.

Prints start-up time (process start to Keystone URL), the time to list every server with
python-novaclient, with openstacksdk's raw proxy (keystoneauth adapter, JSON only) and with
openstacksdk resource objects, the hypervisor listing time, the simulator's peak RSS and the
HTTP request counts it served.

    .venv/bin/python benchmarks/simulator_bench.py --hypervisors 5000 --servers 100000
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request


def _start(args, clouds_yaml: str) -> tuple[subprocess.Popen, float, str]:
    spec = f"hypervisors={args.hypervisors},servers={args.servers},seed={args.seed}"
    command = [sys.executable, "-m", "watcher.cmd.simulator", "--generate", spec,
               "--clouds-yaml", clouds_yaml, "--cloud-name", "bench"]
    log = open(clouds_yaml + ".log", "w", encoding="utf-8")  # noqa: SIM115 - lives with process
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
    for line in process.stdout:
        if line.startswith("Keystone URL:"):
            return process, time.monotonic() - started, line.split(":", 1)[1].strip()
    code = process.wait()
    with open(log.name, encoding="utf-8") as handle:
        raise SystemExit(f"simulator exited with {code} before serving:\n{handle.read()}")


def _peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _timed(label: str, func) -> object:
    started = time.monotonic()
    result = func()
    print(f"{label:<52} {time.monotonic() - started:8.2f} s   ({result})", flush=True)
    return result


def _novaclient_list(conn) -> int:
    from novaclient import client as nova_client

    nova = nova_client.Client("2.96", session=conn.session)
    return len(nova.servers.list(search_opts={"all_tenants": True}, limit=-1))


def _raw_list(conn) -> int:
    url, count = "/servers/detail?all_tenants=True", 0
    while url:
        body = conn.compute.get(url, microversion="2.96").json()
        count += len(body["servers"])
        url = next((link["href"] for link in body.get("servers_links", [])
                    if link["rel"] == "next"), None)
    return count


def _sdk_list(conn, limit: int) -> int:
    count = 0
    for _ in conn.compute.servers(details=True, all_projects=True):
        count += 1
        if limit and count >= limit:
            break
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hypervisors", type=int, default=5000)
    parser.add_argument("--servers", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sdk-servers", type=int, default=0,
                        help="stop the openstacksdk resource listing after this many servers "
                             "(0: all; the SDK spends ~3 ms of client CPU per server)")
    args = parser.parse_args()

    import openstack

    with tempfile.TemporaryDirectory() as tmp:
        clouds_yaml = os.path.join(tmp, "clouds.yaml")
        process, startup, auth_url = _start(args, clouds_yaml)
        try:
            print(f"cloud: {args.hypervisors} hypervisors, {args.servers} servers "
                  f"(seed {args.seed}); Keystone {auth_url}")
            print(f"{'start-up (process start to Keystone URL)':<52} {startup:8.2f} s")
            os.environ["OS_CLIENT_CONFIG_FILE"] = clouds_yaml
            conn = openstack.connect(cloud="bench")
            _timed("servers, python-novaclient (first pass)", lambda: _novaclient_list(conn))
            _timed("servers, python-novaclient (second pass)", lambda: _novaclient_list(conn))
            _timed("servers, openstacksdk proxy, raw JSON pages", lambda: _raw_list(conn))
            label = "servers, openstacksdk Server resources"
            if args.sdk_servers:
                label += f" (first {args.sdk_servers})"
            _timed(label, lambda: _sdk_list(conn, args.sdk_servers))
            _timed("hypervisors detail, openstacksdk",
                   lambda: sum(1 for _ in conn.compute.hypervisors(details=True)))
            root = auth_url.rsplit("/identity", 1)[0] + "/"
            with urllib.request.urlopen(root) as response:
                status = json.load(response)
            print(f"{'simulator peak RSS':<52} {_peak_rss_mb(process.pid):8.1f} MB")
            client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
            print(f"{'benchmark client peak RSS':<52} {client_rss:8.1f} MB")
            print(f"{'HTTP requests served':<52} {sum(status['requests'].values()):8d}   "
                  f"{status['requests']}")
        finally:
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
