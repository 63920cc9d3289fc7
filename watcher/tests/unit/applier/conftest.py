from watcher.tests.unit.decision_engine.conftest import env, make_plan  # noqa: F401
