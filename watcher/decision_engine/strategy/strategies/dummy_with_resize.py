"""``dummy_with_resize``: a fixed plan with migrations and a resize, for integration tests.

The plan names example servers, hosts and a flavor that exist in no real cloud (upstream's
Tempest scenario supplies them); it exercises the planner and applier on every action kind
the dummy strategy leaves out. Do not use in production.
"""

from __future__ import annotations

from oslo_log import log

from watcher.decision_engine.strategy.strategies import base

LOG = log.getLogger(__name__)

# Upstream's fixed example servers, hosts and flavor.
FIRST_SERVER = "b199db0c-1408-4d52-b5a5-5ca14de0ff36"
SECOND_SERVER = "8db1b3c1-7938-4c34-8c03-6de14b874f8f"
SOURCE_NODE = "compute2"
DESTINATION_NODE = "compute3"
FLAVOR = "x2"


class DummyWithResize(base.BaseStrategy):
    NAME = "dummy_with_resize"
    DISPLAY_NAME = "Dummy strategy with resize"
    GOAL_NAME = "dummy"

    NOP = "nop"
    SLEEP = "sleep"
    MIGRATE = "migrate"
    RESIZE = "resize"

    @classmethod
    def get_schema(cls) -> dict:
        return {
            "properties": {
                "para1": {
                    "description": "number parameter example",
                    "type": "number",
                    "default": 3.2,
                    "minimum": 1.0,
                    "maximum": 10.2,
                },
                "para2": {
                    "description": "string parameter example",
                    "type": "string",
                    "default": "hello",
                },
            },
        }

    def do_execute(self, audit=None) -> None:
        # The parameters only show up in the log: the plan is the same whatever they are.
        LOG.debug(
            "Executing dummy_with_resize with para1=%(p1)f, para2=%(p2)s",
            {"p1": self.input_parameters.para1, "p2": self.input_parameters.para2},
        )
        self.solution.add_action(self.NOP, {"message": "hello World"})
        self.solution.add_action(self.NOP, {"message": "Welcome"})
        self.solution.add_action(self.SLEEP, {"duration": 5.0})
        for server in (FIRST_SERVER, SECOND_SERVER):
            self.solution.add_action(
                self.MIGRATE,
                {
                    "source_node": SOURCE_NODE,
                    "destination_node": DESTINATION_NODE,
                    "migration_type": "live",
                },
                resource_id=server,
            )
        self.solution.add_action(self.RESIZE, {"flavor": FLAVOR}, resource_id=SECOND_SERVER)
