"""Runs ``watcher-decision-engine`` with two test-only twists, for the kill test:

- the dummy strategy proposes ``WATCHER_TEST_EXTRA_ACTIONS`` more nop actions (a large plan
  without a cloud);
- once the first multi-row INSERT of actions has run (the first of several for a plan this
  large), inside the plan's still open transaction, the engine creates the file
  ``WATCHER_TEST_MARKER`` and waits there, so the test's SIGKILL lands mid-write.

    python killed_engine.py --config-file watcher.conf
"""

import os
import sys
import time

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from watcher.cmd import decisionengine
from watcher.decision_engine.strategy.strategies import dummy_strategy

EXTRA_ACTIONS = int(os.environ["WATCHER_TEST_EXTRA_ACTIONS"])
MARKER = os.environ["WATCHER_TEST_MARKER"]

_proposed = dummy_strategy.DummyStrategy.do_execute


def _larger_plan(self, audit=None):
    _proposed(self, audit)
    for n in range(EXTRA_ACTIONS):
        self.solution.add_action("nop", {"message": f"extra {n}"})


@sa.event.listens_for(Engine, "after_cursor_execute")
def _stop_mid_write(conn, cursor, statement, parameters, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO ACTIONS"):
        with open(MARKER, "w"):
            pass
        while True:
            time.sleep(1)


dummy_strategy.DummyStrategy.do_execute = _larger_plan

if __name__ == "__main__":
    decisionengine.main(sys.argv[1:])
