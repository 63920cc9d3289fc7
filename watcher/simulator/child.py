"""A simulator run in a child process, for callers that run watcher's services themselves.

Embedded watcher and the simulator in one process share one interpreter lock; with a cloud of
hundreds of hosts, serving it slows every audit and action down. In its own process the
simulator uses another core. The caller gets what it needs to talk to it over HTTP::

    with ChildSimulator(scenario, advance=43200) as sim:
        conn = openstack.connect(**sim.clouds_yaml_entry)
        sim.service_url("prometheus")

The state is in the child: read the cloud back through its APIs.
"""

from __future__ import annotations

import logging
import multiprocessing

# Seconds the child may take to import, load the scenario and start serving.
START_TIMEOUT = 300.0


class ChildSimulator:
    def __init__(self, scenario: dict, apps: list[str] | None = None,
                 advance: float = 0.0) -> None:
        """``advance``: simulated seconds to push the clock forward once serving."""
        self.scenario = scenario
        self.apps = apps
        self.advance = advance
        self.auth_url = ""
        self.admin_credentials: dict = {}
        self.clouds_yaml_entry: dict = {}
        self._urls: dict[str, str] = {}
        self._pipe = None
        self._process = None

    def service_url(self, name: str) -> str:
        return self._urls[name]

    def __enter__(self) -> ChildSimulator:
        context = multiprocessing.get_context("spawn")
        self._pipe, child_end = context.Pipe()
        self._process = context.Process(target=_serve, name="simulator", daemon=True,
                                        args=(self.scenario, self.apps, self.advance,
                                              child_end))
        self._process.start()
        if not self._pipe.poll(START_TIMEOUT):
            self.__exit__(None, None, None)
            raise RuntimeError(f"the simulator did not start in {START_TIMEOUT:.0f} s")
        reply = self._pipe.recv()
        if "error" in reply:
            self.__exit__(None, None, None)
            raise RuntimeError(f"the simulator failed to start: {reply['error']}")
        self.auth_url = reply["auth_url"]
        self.admin_credentials = reply["admin_credentials"]
        self.clouds_yaml_entry = reply["clouds_yaml_entry"]
        self._urls = reply["urls"]
        return self

    def __exit__(self, *exc) -> None:
        if self._process is None:
            return
        try:
            self._pipe.send("stop")
        except (BrokenPipeError, OSError):
            pass
        self._process.join(30)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(10)
        self._process = None


def _serve(scenario: dict, apps: list[str] | None, advance: float, pipe) -> None:
    from watcher.simulator.runner import Simulator

    logging.getLogger().setLevel(logging.WARNING)
    try:
        sim = Simulator.from_scenario(scenario, **({"apps": apps} if apps else {}))
        sim.start()
    except Exception as exc:  # the parent reports it
        pipe.send({"error": f"{type(exc).__name__}: {exc}"})
        return
    try:
        if advance:
            sim.clock.advance(advance)
        urls = {name: sim.service_url(name) for name in sim.apps}
        pipe.send({"auth_url": sim.auth_url, "admin_credentials": sim.admin_credentials,
                   "clouds_yaml_entry": sim.clouds_yaml_entry, "urls": urls})
        pipe.recv()
    except EOFError:
        pass  # the parent went away
    finally:
        sim.stop()
