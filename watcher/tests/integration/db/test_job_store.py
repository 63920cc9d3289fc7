"""The APScheduler job store on SQLite, MariaDB and PostgreSQL."""

import datetime

import pytest
from apscheduler.jobstores.base import ConflictingIdError, JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from watcher.db.sqlalchemy import facade, models
from watcher.db.sqlalchemy.job_store import WatcherJobStore
from watcher.tests.fixtures import database as dbf

pytestmark = pytest.mark.usefixtures("any_db")


def tick() -> None:
    """A job target importable by reference, as APScheduler stores it."""


@pytest.fixture
def schedulers():
    started = []

    def start(service_id: int) -> tuple[BackgroundScheduler, WatcherJobStore]:
        store = WatcherJobStore(service_id, tag={"service": service_id})
        scheduler = BackgroundScheduler(jobstores={"default": store}, timezone="UTC")
        scheduler.start(paused=True)
        started.append(scheduler)
        return scheduler, store

    yield start
    for scheduler in started:
        scheduler.shutdown(wait=False)


def _rows():
    with facade.get_engine().connect() as connection:
        return connection.execute(select(models.APSchedulerJob.__table__)).all()


def test_jobs_are_stored_per_service(schedulers):
    first_service, second_service = dbf.make_service(), dbf.make_service()
    first, first_store = schedulers(first_service.id)
    second, second_store = schedulers(second_service.id)
    first.add_job(tick, "interval", seconds=60, id="audit-1")
    second.add_job(tick, "interval", seconds=30, id="audit-2")

    rows = {row.id: row for row in _rows()}
    assert rows["audit-1"].service_id == first_service.id
    assert rows["audit-1"].tag == {"service": first_service.id}
    assert [job.id for job in first_store.get_all_jobs()] == ["audit-1"]
    assert first_store.lookup_job("audit-2") is None
    assert second_store.lookup_job("audit-2").trigger.interval == datetime.timedelta(seconds=30)

    first_store.remove_all_jobs()
    assert [row.id for row in _rows()] == ["audit-2"]


def test_update_due_and_next_run_time(schedulers):
    service = dbf.make_service()
    scheduler, store = schedulers(service.id)
    job = scheduler.add_job(tick, "interval", seconds=60, id="audit")
    soon = store.get_next_run_time()
    assert soon is not None
    assert store.get_due_jobs(soon - datetime.timedelta(seconds=1)) == []
    assert [j.id for j in store.get_due_jobs(soon)] == ["audit"]
    job.reschedule("interval", seconds=600)
    assert store.get_next_run_time() > soon + datetime.timedelta(seconds=60)


def test_conflicts_and_missing_jobs(schedulers):
    service = dbf.make_service()
    scheduler, store = schedulers(service.id)
    scheduler.add_job(tick, "interval", seconds=60, id="audit")
    with pytest.raises(ConflictingIdError):
        scheduler.add_job(tick, "interval", seconds=60, id="audit")
    store.remove_job("audit")
    with pytest.raises(JobLookupError):
        store.remove_job("audit")
