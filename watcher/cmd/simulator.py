"""``watcher-simulator``: run the simulated cloud until interrupted."""

import argparse
import logging
import signal
import sys
import threading

from watcher.simulator.runner import Simulator
from watcher.simulator.scenario.loader import ScenarioError, load


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="watcher-simulator", description=__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--scenario", help="scenario YAML file")
    source.add_argument("--generate", metavar="SPEC",
                        help="generate a cloud, e.g. hypervisors=1000,servers=20000,seed=1")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--speed", type=float, help="simulated seconds per wall second")
    parser.add_argument("--transport-url", help="send notifications on this bus")
    parser.add_argument("--clouds-yaml", help="add the admin cloud entry to this clouds.yaml")
    parser.add_argument("--cloud-name", default="watcher-simulator")
    parser.add_argument("--check", action="store_true",
                        help="validate the scenario and exit")
    parser.add_argument("--debug", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        if args.generate:
            from watcher.simulator.scenario import generator

            scenario = load(generator.generate(**generator.parse_spec(args.generate)))
        else:
            scenario = load(args.scenario)
    except (ScenarioError, ValueError) as err:
        print(err, file=sys.stderr)
        return 2
    if args.check:
        print(f"{scenario.source}: valid")
        return 0
    sim = Simulator(scenario, host=args.host, port=args.port, transport_url=args.transport_url,
                    speed=args.speed)
    sim.start()
    if args.clouds_yaml:
        sim.write_clouds_yaml(args.clouds_yaml, args.cloud_name)
    print(f"Keystone URL: {sim.auth_url}", flush=True)
    if args.clouds_yaml:
        print(f"clouds.yaml: {args.clouds_yaml} (cloud '{args.cloud_name}')", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
