"""An APScheduler job store in the ``apscheduler_jobs`` table, one slice per service.

The decision engine keeps its continuous-audit jobs here (as upstream does) so they outlive a
restart. Each row belongs to the ``services`` row of the process that scheduled it; a store
only sees and removes its own service's jobs, so several decision engines share the table.
The table comes from the migrations: this store never creates it.
"""

import pickle

from apscheduler.job import Job
from apscheduler.jobstores.base import BaseJobStore, ConflictingIdError, JobLookupError
from apscheduler.util import datetime_to_utc_timestamp, utc_timestamp_to_datetime
from oslo_db import exception as db_exc
from sqlalchemy import and_, delete, insert, select, update

from watcher.db.sqlalchemy import facade, models

_JOBS = models.APSchedulerJob.__table__


class WatcherJobStore(BaseJobStore):
    def __init__(self, service_id: int, tag: dict | None = None,
                 pickle_protocol: int = pickle.HIGHEST_PROTOCOL):
        super().__init__()
        self.service_id = service_id
        self.tag = tag or {}
        self.pickle_protocol = pickle_protocol

    def _mine(self, *conditions):
        return and_(_JOBS.c.service_id == self.service_id, *conditions)

    def _dump(self, job: Job) -> bytes:
        return pickle.dumps(job.__getstate__(), self.pickle_protocol)

    def _reconstitute_job(self, job_state: bytes) -> Job:
        state = pickle.loads(job_state)
        state["jobstore"] = self
        job = Job.__new__(Job)
        job.__setstate__(state)
        job._scheduler = self._scheduler
        job._jobstore_alias = self._alias
        return job

    def lookup_job(self, job_id: str) -> Job | None:
        with facade.get_engine().begin() as connection:
            state = connection.execute(
                select(_JOBS.c.job_state).where(self._mine(_JOBS.c.id == job_id))).scalar()
        return self._reconstitute_job(state) if state else None

    def get_due_jobs(self, now) -> list[Job]:
        return self._get_jobs(_JOBS.c.next_run_time <= datetime_to_utc_timestamp(now))

    def get_next_run_time(self):
        query = (select(_JOBS.c.next_run_time)
                 .where(self._mine(_JOBS.c.next_run_time.is_not(None)))
                 .order_by(_JOBS.c.next_run_time).limit(1))
        with facade.get_engine().begin() as connection:
            return utc_timestamp_to_datetime(connection.execute(query).scalar())

    def get_all_jobs(self) -> list[Job]:
        jobs = self._get_jobs()
        self._fix_paused_jobs_sorting(jobs)
        return jobs

    def add_job(self, job: Job) -> None:
        values = {
            "id": job.id,
            "next_run_time": datetime_to_utc_timestamp(job.next_run_time),
            "job_state": self._dump(job),
            "service_id": self.service_id,
            "tag": self.tag,
        }
        try:
            with facade.get_engine().begin() as connection:
                connection.execute(insert(_JOBS).values(**values))
        except db_exc.DBDuplicateEntry:
            raise ConflictingIdError(job.id) from None

    def update_job(self, job: Job) -> None:
        statement = (update(_JOBS)
                     .where(self._mine(_JOBS.c.id == job.id))
                     .values(next_run_time=datetime_to_utc_timestamp(job.next_run_time),
                             job_state=self._dump(job)))
        with facade.get_engine().begin() as connection:
            if connection.execute(statement).rowcount == 0:
                raise JobLookupError(job.id)

    def remove_job(self, job_id: str) -> None:
        with facade.get_engine().begin() as connection:
            result = connection.execute(delete(_JOBS).where(self._mine(_JOBS.c.id == job_id)))
            if result.rowcount == 0:
                raise JobLookupError(job_id)

    def remove_all_jobs(self) -> None:
        with facade.get_engine().begin() as connection:
            connection.execute(delete(_JOBS).where(self._mine()))

    def _get_jobs(self, *conditions) -> list[Job]:
        jobs, broken = [], set()
        query = (select(_JOBS.c.id, _JOBS.c.job_state).where(self._mine(*conditions))
                 .order_by(_JOBS.c.next_run_time))
        with facade.get_engine().begin() as connection:
            for row in connection.execute(query):
                try:
                    jobs.append(self._reconstitute_job(row.job_state))
                except Exception:
                    # A job whose function no longer imports would fail every wake-up.
                    self._logger.exception('Unable to restore job "%s" -- removing it', row.id)
                    broken.add(row.id)
            if broken:
                connection.execute(delete(_JOBS).where(self._mine(_JOBS.c.id.in_(broken))))
        return jobs

    def __repr__(self) -> str:
        return f"<{type(self).__name__} (service_id={self.service_id})>"
