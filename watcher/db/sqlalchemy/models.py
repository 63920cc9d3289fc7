"""SQLAlchemy models: the tables upstream Watcher's schema has, column for column.

Every resource table carries oslo.db's timestamp and soft-delete columns: ``deleted`` is 0 for
a live row and the row's own id once soft-deleted, which is what lets the (name, deleted)
unique constraints accept a new live row next to deleted ones of the same name.

Relationships never load lazily (``lazy="raise"``): rows leave their session as soon as the
DB API returns them, so the related rows must be asked for up front with ``eager=True``.
"""

from oslo_db.sqlalchemy import models as oslo_models
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    Unicode,
    UniqueConstraint,
    orm,
)

from watcher.db.sqlalchemy.types import JSONEncodedDict, JSONEncodedList

# utf8mb4 with InnoDB's 3072-byte index limit: the widest unique key here, services
# (host 255, name 255, deleted), needs 2044 bytes, so every length below is safe.
MYSQL_TABLE_KWARGS = {"mysql_engine": "InnoDB", "mysql_charset": "utf8mb4"}


class Base(orm.DeclarativeBase):
    pass


class WatcherBase(oslo_models.SoftDeleteMixin, oslo_models.TimestampMixin,
                  oslo_models.ModelBase):
    """Columns and dict-style access shared by every soft-deletable resource table."""

    def as_dict(self) -> dict:
        return {column.name: getattr(self, column.name) for column in self.__table__.columns}


def _table_args(*constraints) -> tuple:
    return (*constraints, MYSQL_TABLE_KWARGS)


class Goal(WatcherBase, Base):
    __tablename__ = "goals"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_goals0uuid"),
        UniqueConstraint("name", "deleted", name="uniq_goals0name"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36))
    name = Column(String(63), nullable=False)
    display_name = Column(String(63), nullable=False)
    efficacy_specification = Column(JSONEncodedList, nullable=False)


class Strategy(WatcherBase, Base):
    __tablename__ = "strategies"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_strategies0uuid"),
        UniqueConstraint("name", "deleted", name="uniq_strategies0name"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36))
    name = Column(String(63), nullable=False)
    display_name = Column(String(63), nullable=False)
    goal_id = Column(Integer, ForeignKey("goals.id"), nullable=False)
    parameters_spec = Column(JSONEncodedDict, nullable=True)

    goal = orm.relationship(Goal, foreign_keys=goal_id, lazy="raise")


class AuditTemplate(WatcherBase, Base):
    __tablename__ = "audit_templates"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_audit_templates0uuid"),
        UniqueConstraint("name", "deleted", name="uniq_audit_templates0name"),
    )

    id = Column(Integer, primary_key=True)
    uuid = Column(String(36))
    name = Column(String(63), nullable=True)
    description = Column(String(255), nullable=True)
    goal_id = Column(Integer, ForeignKey("goals.id"), nullable=False)
    strategy_id = Column(Integer, ForeignKey("strategies.id"), nullable=True)
    scope = Column(JSONEncodedList, nullable=True)
    default_parameters = Column(JSONEncodedDict, nullable=True)

    goal = orm.relationship(Goal, foreign_keys=goal_id, lazy="raise")
    strategy = orm.relationship(Strategy, foreign_keys=strategy_id, lazy="raise")


class Audit(WatcherBase, Base):
    __tablename__ = "audits"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_audits0uuid"),
        UniqueConstraint("name", "deleted", name="uniq_audits0name"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36))
    name = Column(String(63), nullable=True)
    audit_type = Column(String(20))
    state = Column(String(20), nullable=True)
    parameters = Column(JSONEncodedDict, nullable=True)
    # Seconds as a string, or a cron expression.
    interval = Column(String(36), nullable=True)
    goal_id = Column(Integer, ForeignKey("goals.id"), nullable=False)
    strategy_id = Column(Integer, ForeignKey("strategies.id"), nullable=True)
    scope = Column(JSONEncodedList, nullable=True)
    auto_trigger = Column(Boolean, nullable=False)
    next_run_time = Column(DateTime, nullable=True)
    hostname = Column(String(255), nullable=True)
    start_time = Column(DateTime, nullable=True)
    end_time = Column(DateTime, nullable=True)
    force = Column(Boolean, nullable=True, default=False)
    status_message = Column(String(255), nullable=True)

    goal = orm.relationship(Goal, foreign_keys=goal_id, lazy="raise")
    strategy = orm.relationship(Strategy, foreign_keys=strategy_id, lazy="raise")


class ActionPlan(WatcherBase, Base):
    __tablename__ = "action_plans"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_action_plans0uuid"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36))
    audit_id = Column(Integer, ForeignKey("audits.id"), nullable=False)
    strategy_id = Column(Integer, ForeignKey("strategies.id"), nullable=False)
    state = Column(String(20), nullable=True)
    global_efficacy = Column(JSONEncodedList, nullable=True)
    hostname = Column(String(255), nullable=True)
    status_message = Column(String(255), nullable=True)

    audit = orm.relationship(Audit, foreign_keys=audit_id, lazy="raise")
    strategy = orm.relationship(Strategy, foreign_keys=strategy_id, lazy="raise")


class Action(WatcherBase, Base):
    __tablename__ = "actions"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_actions0uuid"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36), nullable=False)
    action_plan_id = Column(Integer, ForeignKey("action_plans.id"), nullable=False)
    action_type = Column(String(255), nullable=False)
    input_parameters = Column(JSONEncodedDict, nullable=True)
    state = Column(String(20), nullable=True)
    parents = Column(JSONEncodedList, nullable=True)
    status_message = Column(String(255), nullable=True)

    action_plan = orm.relationship(ActionPlan, foreign_keys=action_plan_id, lazy="raise")


class EfficacyIndicator(WatcherBase, Base):
    __tablename__ = "efficacy_indicators"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_efficacy_indicators0uuid"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36))
    name = Column(String(63))
    description = Column(String(255), nullable=True)
    unit = Column(String(63), nullable=True)
    # Upstream's bare Numeric() is DECIMAL(10,0) on MySQL and rounds every value to an
    # integer (their fix was the extra ``data`` float). A declared scale keeps the decimals
    # on every backend; floats come back, never Decimal.
    value = Column(Numeric(precision=20, scale=6, asdecimal=False))
    data = Column(Double, nullable=True)
    action_plan_id = Column(Integer, ForeignKey("action_plans.id"), nullable=False)

    action_plan = orm.relationship(ActionPlan, foreign_keys=action_plan_id, lazy="raise")


class ScoringEngine(WatcherBase, Base):
    __tablename__ = "scoring_engines"
    __table_args__ = _table_args(
        UniqueConstraint("uuid", name="uniq_scoring_engines0uuid"),
        UniqueConstraint("name", "deleted", name="uniq_scoring_engines0name"),
    )

    id = Column(Integer, primary_key=True, autoincrement=True)
    uuid = Column(String(36), nullable=False)
    name = Column(String(63), nullable=False)
    description = Column(String(255), nullable=True)
    # Free-form: each scoring engine chooses its own format (JSON, XML, ...).
    metainfo = Column(Text, nullable=True)


class Service(WatcherBase, Base):
    __tablename__ = "services"
    __table_args__ = _table_args(
        UniqueConstraint("host", "name", "deleted", name="uniq_services0host0name0deleted"),
    )

    id = Column(Integer, primary_key=True)
    name = Column(String(255), nullable=False)
    host = Column(String(255), nullable=False)
    last_seen_up = Column(DateTime, nullable=True)


class ActionDescription(WatcherBase, Base):
    __tablename__ = "action_descriptions"
    __table_args__ = _table_args(
        UniqueConstraint("action_type", name="uniq_action_description0action_type"),
    )

    id = Column(Integer, primary_key=True)
    action_type = Column(String(255), nullable=False)
    description = Column(String(255), nullable=False)


class APSchedulerJob(Base):
    """APScheduler's job store table, keyed to the service that owns the job.

    Not a Watcher resource: no timestamps, no soft delete, no DB API resource methods.
    """

    __tablename__ = "apscheduler_jobs"
    __table_args__ = (
        Index("ix_apscheduler_jobs_next_run_time", "next_run_time"),
        MYSQL_TABLE_KWARGS,
    )

    # 191 characters keep the primary key inside the utf8mb4 index limit of old MySQL.
    id = Column(Unicode(191), primary_key=True)
    # Double: MySQL turns upstream's Float(25) into DOUBLE anyway; now every backend agrees.
    next_run_time = Column(Double, nullable=True)
    job_state = Column(LargeBinary, nullable=False)
    service_id = Column(Integer, ForeignKey("services.id"), nullable=False)
    tag = Column(JSONEncodedDict, nullable=True)
