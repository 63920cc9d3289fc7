"""[database] options: oslo.db's own, plus the MySQL storage engine as upstream."""

from oslo_config import cfg
from oslo_db import options as db_options

GROUP = cfg.OptGroup("database", title="Database connection options")

OPTS = [
    cfg.StrOpt("mysql_engine", default="InnoDB", help="MySQL storage engine for new tables."),
]

_DEFAULT_CONNECTION = "sqlite:///watcher.sqlite"


def register_opts(conf: cfg.ConfigOpts) -> None:
    db_options.set_defaults(conf, connection=_DEFAULT_CONNECTION)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    # oslo.db lists its own [database] options under the oslo.db generator namespace.
    return [(GROUP, OPTS)]
