"""The poll loop every cloud action waits with: decisions end it, the budget bounds it."""

import itertools
import time

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.common import nova_helper
from watcher.conf import CONF


@pytest.fixture(autouse=True)
def short_polls():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    fixture.config(group="nova", migration_interval=0.1, migration_max_retries=5)
    yield
    fixture.cleanUp()


def test_first_decision_ends_the_wait():
    reads = itertools.count(1)
    assert nova_helper.wait_for(lambda: next(reads), lambda n: True if n == 3 else None)
    assert next(reads) == 4
    assert nova_helper.wait_for(lambda: "gone", lambda _: False) is False


def test_budget_bounds_the_wait():
    reads = []
    started = time.monotonic()
    assert nova_helper.wait_for(lambda: reads.append(1), lambda _: None) is False
    assert len(reads) == 5
    # Four sleeps between five reads, none after the last.
    assert 0.35 < time.monotonic() - started < 2
