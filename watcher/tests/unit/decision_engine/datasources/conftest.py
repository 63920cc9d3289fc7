"""Config for datasource tests: fast retries, no metric map file, restored afterwards."""

import pytest
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF


@pytest.fixture
def conf(tmp_path):
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    fixture.config(query_max_retries=3, query_interval=0, group="watcher_datasources")
    fixture.config(metric_map_path=str(tmp_path / "absent.yaml"),
                   group="watcher_decision_engine")
    try:
        yield fixture
    finally:
        fixture.cleanUp()
