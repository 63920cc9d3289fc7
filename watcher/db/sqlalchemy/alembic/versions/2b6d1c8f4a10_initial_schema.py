"""Initial schema: every table as of upstream Watcher 2025.2 plus default_parameters.

This project starts from the current schema, so there is one migration that builds it all.
The names of tables, columns and constraints are upstream's; the tests keep this file and
models.py identical on SQLite, MariaDB and PostgreSQL.

Revision ID: 2b6d1c8f4a10
Revises:
Create Date: 2026-11-22 21:00:00
"""

import sqlalchemy as sa
from alembic import op
from oslo_db.sqlalchemy import types as oslo_types

from watcher.conf import CONF
from watcher.db.sqlalchemy.types import JSONEncodedDict, JSONEncodedList

revision = "2b6d1c8f4a10"
down_revision = None
branch_labels = None
depends_on = None

# Dropped in reverse creation order, children before parents.
TABLES = (
    "goals", "scoring_engines", "services", "action_descriptions", "strategies",
    "audit_templates", "audits", "action_plans", "actions", "efficacy_indicators",
    "apscheduler_jobs",
)


def _mysql_kwargs() -> dict:
    return {"mysql_engine": CONF.database.mysql_engine, "mysql_charset": "utf8mb4"}


def _resource_columns() -> list:
    """Timestamps and the soft-delete pair every resource table has, then its id."""
    return [
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", oslo_types.SoftDeleteInteger(), nullable=True),
        sa.Column("id", sa.Integer(), primary_key=True, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "goals",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("display_name", sa.String(63), nullable=False),
        sa.Column("efficacy_specification", JSONEncodedList(), nullable=False),
        sa.UniqueConstraint("uuid", name="uniq_goals0uuid"),
        sa.UniqueConstraint("name", "deleted", name="uniq_goals0name"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "scoring_engines",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("description", sa.String(255), nullable=True),
        sa.Column("metainfo", sa.Text(), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_scoring_engines0uuid"),
        sa.UniqueConstraint("name", "deleted", name="uniq_scoring_engines0name"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "services",
        *_resource_columns(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("last_seen_up", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("host", "name", "deleted", name="uniq_services0host0name0deleted"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "action_descriptions",
        *_resource_columns(),
        sa.Column("action_type", sa.String(255), nullable=False),
        sa.Column("description", sa.String(255), nullable=False),
        sa.UniqueConstraint("action_type", name="uniq_action_description0action_type"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "strategies",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("display_name", sa.String(63), nullable=False),
        sa.Column("goal_id", sa.Integer(), sa.ForeignKey("goals.id"), nullable=False),
        sa.Column("parameters_spec", JSONEncodedDict(), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_strategies0uuid"),
        sa.UniqueConstraint("name", "deleted", name="uniq_strategies0name"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "audit_templates",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("name", sa.String(63), nullable=True),
        sa.Column("description", sa.String(255), nullable=True),
        sa.Column("goal_id", sa.Integer(), sa.ForeignKey("goals.id"), nullable=False),
        sa.Column("strategy_id", sa.Integer(), sa.ForeignKey("strategies.id"), nullable=True),
        sa.Column("scope", JSONEncodedList(), nullable=True),
        sa.Column("default_parameters", JSONEncodedDict(), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_audit_templates0uuid"),
        sa.UniqueConstraint("name", "deleted", name="uniq_audit_templates0name"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "audits",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("name", sa.String(63), nullable=True),
        sa.Column("audit_type", sa.String(20), nullable=True),
        sa.Column("state", sa.String(20), nullable=True),
        sa.Column("parameters", JSONEncodedDict(), nullable=True),
        sa.Column("interval", sa.String(36), nullable=True),
        sa.Column("goal_id", sa.Integer(), sa.ForeignKey("goals.id"), nullable=False),
        sa.Column("strategy_id", sa.Integer(), sa.ForeignKey("strategies.id"), nullable=True),
        sa.Column("scope", JSONEncodedList(), nullable=True),
        sa.Column("auto_trigger", sa.Boolean(), nullable=False),
        sa.Column("next_run_time", sa.DateTime(), nullable=True),
        sa.Column("hostname", sa.String(255), nullable=True),
        sa.Column("start_time", sa.DateTime(), nullable=True),
        sa.Column("end_time", sa.DateTime(), nullable=True),
        sa.Column("force", sa.Boolean(), nullable=True),
        sa.Column("status_message", sa.String(255), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_audits0uuid"),
        sa.UniqueConstraint("name", "deleted", name="uniq_audits0name"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "action_plans",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("audit_id", sa.Integer(), sa.ForeignKey("audits.id"), nullable=False),
        sa.Column("strategy_id", sa.Integer(), sa.ForeignKey("strategies.id"), nullable=False),
        sa.Column("state", sa.String(20), nullable=True),
        sa.Column("global_efficacy", JSONEncodedList(), nullable=True),
        sa.Column("hostname", sa.String(255), nullable=True),
        sa.Column("status_message", sa.String(255), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_action_plans0uuid"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "actions",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("action_plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"),
                  nullable=False),
        sa.Column("action_type", sa.String(255), nullable=False),
        sa.Column("input_parameters", JSONEncodedDict(), nullable=True),
        sa.Column("state", sa.String(20), nullable=True),
        sa.Column("parents", JSONEncodedList(), nullable=True),
        sa.Column("status_message", sa.String(255), nullable=True),
        sa.UniqueConstraint("uuid", name="uniq_actions0uuid"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "efficacy_indicators",
        *_resource_columns(),
        sa.Column("uuid", sa.String(36), nullable=True),
        sa.Column("name", sa.String(63), nullable=True),
        sa.Column("description", sa.String(255), nullable=True),
        sa.Column("unit", sa.String(63), nullable=True),
        sa.Column("value", sa.Numeric(precision=20, scale=6, asdecimal=False), nullable=True),
        sa.Column("data", sa.Double(), nullable=True),
        sa.Column("action_plan_id", sa.Integer(), sa.ForeignKey("action_plans.id"),
                  nullable=False),
        sa.UniqueConstraint("uuid", name="uniq_efficacy_indicators0uuid"),
        **_mysql_kwargs(),
    )
    op.create_table(
        "apscheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True, nullable=False),
        sa.Column("next_run_time", sa.Double(), nullable=True),
        sa.Column("job_state", sa.LargeBinary(), nullable=False),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("services.id"), nullable=False),
        sa.Column("tag", JSONEncodedDict(), nullable=True),
        sa.Index("ix_apscheduler_jobs_next_run_time", "next_run_time"),
        **_mysql_kwargs(),
    )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
