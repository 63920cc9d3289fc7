from watcher.tests.unit.decision_engine.conftest import env  # noqa: F401
