"""The dummy strategy: a fixed plan of two no-ops and a sleep, for tests and demos."""

from watcher.decision_engine.strategy.strategies import base


class DummyStrategy(base.BaseStrategy):
    NAME = "dummy"
    DISPLAY_NAME = "Dummy strategy"
    GOAL_NAME = "dummy"

    NOP = "nop"
    SLEEP = "sleep"

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
        self.solution.add_action(self.NOP, {"message": self.input_parameters.para2})
        self.solution.add_action(self.NOP, {"message": "Welcome"})
        self.solution.add_action(self.SLEEP, {"duration": self.input_parameters.para1})
