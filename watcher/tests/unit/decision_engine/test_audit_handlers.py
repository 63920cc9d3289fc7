import datetime

from oslo_utils import timeutils

from watcher import objects
from watcher.conf import CONF
from watcher.decision_engine import service_monitor, sync
from watcher.decision_engine.audit import continuous, oneshot
from watcher.tests.unit.decision_engine.conftest import make_plan


class _Pool:
    """Runs submitted work at once, so a tick's effects are visible when it returns."""

    def submit(self, fn, *args):
        fn(*args)


class _Applier:
    def __init__(self):
        self.launched = []

    def launch_action_plan(self, context, uuid):
        self.launched.append(uuid)


def _plans(env, audit):
    return objects.ActionPlan.list(env.context, filters={"audit_uuid": audit.uuid})


def test_oneshot_audit_produces_a_weighted_plan(env):
    audit = env.audit()
    oneshot.OneShotAuditHandler(_Applier()).execute(env.context, audit)
    audit.refresh()
    assert (audit.state, audit.hostname) == ("SUCCEEDED", CONF.host)
    [plan] = _plans(env, audit)
    assert plan.state == "RECOMMENDED"
    actions = objects.Action.list(env.context, filters={"action_plan_uuid": plan.uuid})
    by_uuid = {a.uuid: a for a in actions}
    chain = [(a.action_type, [by_uuid[p].action_type for p in a.parents]) for a in actions]
    assert sorted(chain) == [("nop", []), ("nop", ["nop"]), ("sleep", ["nop"])]
    events = env.events()
    order = [
        "audit.update",
        "audit.strategy.start",
        "audit.strategy.end",
        "audit.planner.start",
        "action_plan.create",
        "audit.planner.end",
    ]
    assert [e for e in events if e in order][: len(order)] == order
    assert events[-1] == "audit.update"
    assert env.notifications()[-1][3] == f"infra-optim:{CONF.host}"


def test_auto_trigger_launches_the_plan(env):
    applier = _Applier()
    audit = env.audit(auto_trigger=True)
    oneshot.OneShotAuditHandler(applier).execute(env.context, audit)
    [plan] = _plans(env, audit)
    assert plan.state == "PENDING"
    assert applier.launched == [plan.uuid]


def test_oneshot_is_cancelled_while_a_plan_runs_unless_forced(env):
    running = make_plan(env, [("nop", {"message": "x"})])
    running.state = "ONGOING"
    running.save()
    audit = env.audit()
    oneshot.OneShotAuditHandler(_Applier()).execute(env.context, audit)
    audit.refresh()
    assert audit.state == "CANCELLED"
    assert running.uuid in audit.status_message

    forced = env.audit(force=True)
    oneshot.OneShotAuditHandler(_Applier()).execute(env.context, forced)
    forced.refresh()
    assert forced.state == "SUCCEEDED"


def test_invalid_parameters_fail_the_audit_with_a_reason(env):
    audit = env.audit(parameters={"para1": 99})
    oneshot.OneShotAuditHandler(_Applier()).execute(env.context, audit)
    audit.refresh()
    assert audit.state == "FAILED"
    assert "para1" in audit.status_message


def test_a_finished_oneshot_is_not_run_twice(env):
    audit = env.audit()
    handler = oneshot.OneShotAuditHandler(_Applier())
    handler.execute(env.context, audit)
    handler.execute(env.context, audit)
    assert len(_plans(env, audit)) == 1


def test_continuous_audit_claimed_by_the_leader_and_rescheduled(env):
    audit = env.audit("CONTINUOUS", interval="60")
    handler = continuous.ContinuousAuditHandler(_Pool(), lambda: True, _Applier())
    handler.launch_audits_periodically()
    audit.refresh()
    assert (audit.hostname, audit.state) == (CONF.host, "ONGOING")
    first_run = audit.next_run_time
    assert first_run > timeutils.utcnow().replace(tzinfo=None)
    [plan] = _plans(env, audit)

    # Not due yet: nothing happens.
    handler.launch_audits_periodically()
    assert len(_plans(env, audit)) == 1

    # Due again: the new run cancels the previous recommendation.
    audit.next_run_time = timeutils.utcnow().replace(tzinfo=None) - datetime.timedelta(seconds=1)
    audit.save()
    handler.launch_audits_periodically()
    states = sorted(p.state for p in _plans(env, audit))
    assert states == ["CANCELLED", "RECOMMENDED"]


def test_non_leader_does_not_claim_and_foreign_audits_are_left_alone(env):
    free = env.audit("CONTINUOUS", interval="60")
    foreign = env.audit("CONTINUOUS", interval="60", hostname="host-b")
    continuous.ContinuousAuditHandler(_Pool(), lambda: False).launch_audits_periodically()
    free.refresh()
    foreign.refresh()
    assert free.hostname is None and free.state == "PENDING"
    assert foreign.hostname == "host-b" and not _plans(env, foreign)


def test_continuous_audit_past_its_end_time_succeeds(env):
    ended = timeutils.utcnow().replace(tzinfo=None) - datetime.timedelta(minutes=1)
    audit = env.audit("CONTINUOUS", interval="60", end_time=ended)
    continuous.ContinuousAuditHandler(_Pool(), lambda: True).launch_audits_periodically()
    audit.refresh()
    assert audit.state == "SUCCEEDED"
    assert not _plans(env, audit)


def test_cron_interval_gives_the_next_matching_time():
    now = datetime.datetime(2026, 1, 1, 10, 7, 30)
    assert continuous.next_run_time("*/15 * * * *", now) == datetime.datetime(2026, 1, 1, 10, 15)
    assert continuous.next_run_time("90", now) == now + datetime.timedelta(seconds=90)


def test_leader_moves_continuous_audits_of_a_failed_engine(env):
    stale = timeutils.utcnow() - datetime.timedelta(seconds=CONF.service_down_time + 5)
    fresh = timeutils.utcnow()
    for host, seen in (("host-a", fresh), ("host-b", stale), ("host-c", fresh)):
        objects.Service(
            env.context, name="watcher-decision-engine", host=host, last_seen_up=seen
        ).create()
    moved = [
        env.audit("CONTINUOUS", interval="60", hostname="host-b", state="ONGOING") for _ in range(2)
    ]
    monitor = service_monitor.DecisionEngineMonitor("watcher-decision-engine")
    assert monitor.is_leader()
    monitor.tick()
    hosts = []
    for audit in moved:
        audit.refresh()
        hosts.append(audit.hostname)
    assert sorted(hosts) == ["host-a", "host-c"]


def test_sync_replaces_a_changed_strategy_and_cancels_its_audits(env):
    strategy = objects.Strategy.get_by_name(env.context, "dummy")
    audit = env.audit()
    strategy.parameters_spec = {"properties": {}}
    strategy.save()
    sync.Syncer(env.context).sync()
    current = objects.Strategy.get_by_name(env.context, "dummy")
    assert current.id != strategy.id
    assert current.parameters_spec["properties"]["para1"]["default"] == 3.2
    audit.refresh()
    assert (audit.strategy_id, audit.state) == (current.id, "CANCELLED")
    # Idempotent once in sync.
    sync.Syncer(env.context).sync()
    assert objects.Strategy.get_by_name(env.context, "dummy").id == current.id


def test_old_recommendations_are_superseded(env):
    from watcher.decision_engine import scheduling

    old = make_plan(env, [("nop", {"message": "x"})], state="RECOMMENDED")
    later = timeutils.utcnow() + datetime.timedelta(
        hours=CONF.watcher_decision_engine.action_plan_expiry + 1
    )
    assert scheduling.supersede_expired_plans(env.context, now=timeutils.utcnow()) == []
    assert scheduling.supersede_expired_plans(env.context, now=later) == [old.uuid]
    old.refresh()
    assert old.state == "SUPERSEDED"


class _DEApi:
    def __init__(self):
        self.triggered = []

    def trigger_audit(self, context, uuid):
        self.triggered.append(uuid)


def _services(env, name, **hosts_age):
    now = timeutils.utcnow()
    for host, age in hosts_age.items():
        objects.Service(
            env.context,
            name=name,
            host=host.replace("_", "-"),
            last_seen_up=now - datetime.timedelta(seconds=age),
        ).create()


def test_leader_fails_oneshots_of_a_dead_engine_and_retriggers_lost_ones(env):
    _services(env, "watcher-decision-engine", host_a=0, host_b=CONF.service_down_time + 5)
    orphan = env.audit(state="ONGOING", hostname="host-b")
    lost = env.audit()
    fresh = env.audit()
    lost_row = objects.Audit.get_by_uuid(env.context, lost.uuid)
    api = _DEApi()
    monitor = service_monitor.DecisionEngineMonitor("watcher-decision-engine", api)
    old = timeutils.utcnow() + datetime.timedelta(seconds=CONF.service_down_time + 1)
    assert monitor.stalled(lost_row, now=old) and not monitor.stalled(lost_row)
    monitor.tick()
    orphan.refresh()
    assert orphan.state == "FAILED" and "host-b" in orphan.status_message
    # Neither PENDING audit is old enough yet.
    assert api.triggered == []
    # Only ``lost`` has waited long enough now.
    monitor.stalled = lambda obj, now=None: obj.uuid == lost.uuid
    monitor.tick()
    assert api.triggered == [lost.uuid]
    assert fresh.uuid not in api.triggered
