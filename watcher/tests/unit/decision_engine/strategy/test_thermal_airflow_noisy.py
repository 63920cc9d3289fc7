"""The proof-of-concept strategies: outlet temperature, uniform airflow, noisy neighbor."""

from watcher.decision_engine.strategy.strategies import (
    noisy_neighbor,
    outlet_temp_control,
    uniform_airflow,
)
from watcher.tests.unit.decision_engine.strategy.harness import MetricsTable, migrate, run
from watcher.tests.unit.decision_engine.strategy.models import build, instance, node


def three_hosts(**n3_fields):
    model = build(
        [node("n1"), node("n2"), node("n3", **n3_fields)],
        {"n1": [instance("a", 4), instance("b", 2)], "n2": [instance("c")], "n3": []},
    )
    return model


# -- outlet temperature ---------------------------------------------------------------------

def outlet(model, metrics, **parameters):
    return run(outlet_temp_control.OutletTempControl, model, metrics, **parameters)


def temperatures():
    return MetricsTable().set("host_outlet_temp", n1=40.0, n2=30.0, n3=25.0)


def test_first_active_instance_of_the_hottest_host_goes_to_the_coolest():
    model = three_hosts()
    model.get_instance_by_uuid("uuid-a").watcher_exclude = True
    metrics = temperatures()
    _, solution = outlet(model, metrics)
    assert solution.actions == [migrate("b", "n1", "n3")]
    assert metrics.calls == [("host", "host_outlet_temp", 30, "mean", 300)]


def test_coolest_host_without_room_or_reading_is_passed_over():
    _, solution = outlet(three_hosts(disk=10), temperatures())
    assert solution.actions == [migrate("a", "n1", "n2")]
    metrics = temperatures()
    del metrics.values[("host_outlet_temp", "uuid-n3")]
    _, solution = outlet(three_hosts(), metrics)
    assert solution.actions == [migrate("a", "n1", "n2")]


def test_disabled_host_is_not_a_target_and_cool_cluster_is_left_alone():
    _, solution = outlet(three_hosts(status="disabled"), temperatures())
    assert solution.actions == [migrate("a", "n1", "n2")]
    _, solution = outlet(three_hosts(), temperatures(), threshold=45.0)
    assert solution.actions == []


# -- uniform airflow ------------------------------------------------------------------------

def airflow(power):
    return (MetricsTable().set("host_airflow", n1=500.0, n2=300.0, n3=200.0)
            .set("host_inlet_temp", n1=25.0).set("host_power", n1=power))


def test_hardware_issue_moves_every_instance_largest_first():
    _, solution = run(uniform_airflow.UniformAirflow, three_hosts(), airflow(300.0))
    assert solution.actions == [migrate("a", "n1", "n3"), migrate("b", "n1", "n3")]


def test_busy_host_moves_its_first_active_instance():
    model = three_hosts()
    model.get_instance_by_uuid("uuid-a").state = "stopped"
    _, solution = run(uniform_airflow.UniformAirflow, model, airflow(400.0))
    assert solution.actions == [migrate("b", "n1", "n3")]


def test_nothing_moves_unless_every_instance_has_a_place():
    # n3 has memory for a but then not for b, and n2 has none for either.
    model = build(
        [node("n1"), node("n2", memory=3000), node("n3", memory=5000)],
        {"n1": [instance("a", 4, memory=4096), instance("b", 2, memory=4096)]},
    )
    _, solution = run(uniform_airflow.UniformAirflow, model, airflow(300.0))
    assert solution.actions == []


# -- noisy neighbor -------------------------------------------------------------------------

def crowded_host():
    return build(
        [node("n1"), node("n2"), node("n3")],
        {
            "n1": [instance("p", metadata={"watcher-priority": "1"}),
                   instance("r"),
                   instance("q", metadata={"watcher-priority": "9"})],
            "n2": [instance("s")],
        },
    )


def cache():
    """p's cache use fell from 100 to 50, q's rose from 100 to 150, r's is steady."""
    meter = "instance_l3_cache_usage"
    return (MetricsTable().set_period(meter, 100.0, p=50.0, q=150.0, r=100.0, s=10.0)
            .set_period(meter, 200.0, p=75.0, q=125.0, r=100.0, s=10.0))


def test_noisy_instance_leaves_its_priority_neighbour():
    metrics = cache()
    _, solution = run(noisy_neighbor.NoisyNeighbor, crowded_host(), metrics)
    assert solution.actions == [migrate("q", "n1", "n2")]
    assert [call[2] for call in metrics.calls] == [100.0, 200.0]


def test_excluded_noisy_instance_stays():
    model = crowded_host()
    model.get_instance_by_uuid("uuid-q").watcher_exclude = True
    _, solution = run(noisy_neighbor.NoisyNeighbor, model, cache())
    assert solution.actions == []


def test_small_changes_are_not_noise():
    _, solution = run(noisy_neighbor.NoisyNeighbor, crowded_host(), cache(),
                      cache_threshold=60.0)
    assert solution.actions == []
