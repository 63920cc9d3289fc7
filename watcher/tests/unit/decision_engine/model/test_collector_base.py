import threading

import pytest
from openstack import exceptions as sdk_exceptions
from oslo_config import fixture as cfg_fixture

from watcher.conf import CONF
from watcher.decision_engine.model.collector import base
from watcher.tests.unit.decision_engine.model import builders


class HandBuilt(base.BaseClusterDataModelCollector):
    """Builds the models a test queues up; an exception in the queue is raised."""

    def __init__(self, *results):
        super().__init__(osc=object())
        self.results = list(results)
        self.release = threading.Event()
        self.release.set()
        self.started = threading.Event()

    def execute(self):
        self.started.set()
        self.release.wait(5)
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result


@pytest.fixture
def conf():
    fixture = cfg_fixture.Config(CONF)
    fixture.setUp()
    fixture.config(group="collector", api_query_max_retries=3, api_query_interval=0)
    yield fixture
    fixture.cleanUp()


def test_failed_collection_keeps_the_model_marked_stale_with_the_reason():
    collector = HandBuilt(builders.model({1: [1]}), RuntimeError("nova is down"))
    collector.synchronize()
    first = collector.cluster_data_model
    assert first.stale is False and collector.last_error is None
    collector.synchronize()
    assert collector.cluster_data_model is first and first.stale is True
    assert collector.last_error == "nova is down"


def test_snapshot_is_a_copy():
    collector = HandBuilt(builders.model({1: [1], 2: []}))
    assert collector.get_latest_cluster_data_model() is None
    collector.synchronize()
    snapshot = collector.get_latest_cluster_data_model()
    snapshot.migrate_instance("vm-1", "node-1", "node-2")
    assert collector.cluster_data_model.get_node_by_instance_uuid("vm-1").uuid == "node-1"


def test_patches_during_a_rebuild_are_replayed_on_the_new_model():
    collector = HandBuilt(builders.model({1: [1], 2: []}), builders.model({1: [1], 2: []}))
    collector.synchronize()
    collector.release.clear()
    collector.started.clear()
    rebuild = threading.Thread(target=collector.synchronize)
    rebuild.start()
    assert collector.started.wait(5)
    collector.patch(lambda model: model.migrate_instance("vm-1", "node-1", "node-2"))
    # A patch about something the model does not hold is skipped, not fatal.
    collector.patch(lambda model: model.remove_instance("vm-404"))
    assert collector.cluster_data_model.get_node_by_instance_uuid("vm-1").uuid == "node-2"
    collector.release.set()
    rebuild.join(5)
    assert collector.cluster_data_model.get_node_by_instance_uuid("vm-1").uuid == "node-2"


def test_wait_for_first_sync_only_waits_when_a_job_is_expected():
    collector = HandBuilt(builders.model({1: []}))
    assert collector.wait_for_first_sync(5) is False
    collector.expect_sync()
    threading.Timer(0.05, collector.synchronize).start()
    assert collector.wait_for_first_sync(5) is True


def test_call_retry_retries_connection_errors_but_not_client_errors(conf):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("reset")
        return "ok"

    assert base.call_retry(flaky) == "ok" and len(calls) == 3

    def not_found():
        calls.append(1)
        raise sdk_exceptions.NotFoundException(message="no such server", http_status=404)

    calls.clear()
    with pytest.raises(sdk_exceptions.NotFoundException):
        base.call_retry(not_found)
    assert len(calls) == 1

    def always_down():
        calls.append(1)
        raise ConnectionError("down")

    calls.clear()
    with pytest.raises(ConnectionError):
        base.call_retry(always_down)
    assert len(calls) == 3
