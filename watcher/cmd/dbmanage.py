"""watcher-db-manage: schema migrations and purge of soft-deleted rows.

    watcher-db-manage --config-file /etc/watcher/watcher.conf upgrade [--revision REV]
    watcher-db-manage ... downgrade [--revision REV]
    watcher-db-manage ... stamp REV            (or --revision REV, as upstream)
    watcher-db-manage ... version
    watcher-db-manage ... create_schema
    watcher-db-manage ... purge [-d DAYS] [-n MAX] [-t GOAL] [-e] [--dry-run]

With no sub-command, ``upgrade`` is run, as upstream does for its old callers.
"""

import logging
import sys

from alembic import util as alembic_util
from oslo_config import cfg
from oslo_db import exception as db_exc
from oslo_log import log

from watcher.common import config, exception
from watcher.conf import CONF
from watcher.db import purge
from watcher.db.sqlalchemy import migration

LOG = log.getLogger(__name__)

COMMANDS = ("upgrade", "downgrade", "stamp", "version", "create_schema", "purge")


def _upgrade() -> None:
    migration.upgrade(CONF.command.revision)


def _downgrade() -> None:
    migration.downgrade(CONF.command.revision)


def _stamp() -> None:
    migration.stamp(CONF.command.revision_arg or CONF.command.revision)


def _version() -> None:
    # Scripts read the revision from stdout: keep alembic's INFO chatter out of it.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    print(migration.version())


def _create_schema() -> None:
    migration.create_schema()


def _purge() -> None:
    command = CONF.command
    purge.purge(command.age_in_days, command.max_number, command.goal,
                command.exclude_orphans, command.dry_run)


def add_command_parsers(subparsers) -> None:
    parser = subparsers.add_parser(
        "upgrade", help="Upgrade the database schema to the latest version, or to --revision.")
    parser.add_argument("--revision", nargs="?")
    parser.set_defaults(func=_upgrade)

    parser = subparsers.add_parser(
        "downgrade", help="Downgrade the database schema to --revision (default: empty).")
    parser.add_argument("--revision", nargs="?")
    parser.set_defaults(func=_downgrade)

    parser = subparsers.add_parser(
        "stamp", help="Record a revision as current without running migrations.")
    parser.add_argument("revision_arg", nargs="?", metavar="REVISION")
    parser.add_argument("--revision", nargs="?")
    parser.set_defaults(func=_stamp)

    parser = subparsers.add_parser("version", help="Print the current schema revision.")
    parser.set_defaults(func=_version)

    parser = subparsers.add_parser(
        "create_schema", help="Create the schema from the models on an empty database.")
    parser.set_defaults(func=_create_schema)

    parser = subparsers.add_parser("purge", help="Purge the database.")
    parser.add_argument("-d", "--age-in-days", type=int, default=None, nargs="?",
                        help="Only purge rows soft-deleted more than this many days ago "
                             "(default: any age).")
    parser.add_argument("-n", "--max-number", type=int, default=None, nargs="?",
                        help="Upper bound on the rows to delete; above it, you are asked "
                             "whether to delete whole goals up to the bound (default: none).")
    parser.add_argument("-t", "--goal", type=str, default=None, nargs="?",
                        help="Purge only this soft-deleted goal (UUID or name) and what "
                             "hangs under it.")
    parser.add_argument("-e", "--exclude-orphans", action="store_true", default=False,
                        help="Keep live rows whose parent is gone (default: purge them).")
    parser.add_argument("--dry-run", action="store_true", default=False,
                        help="Only show what would be purged.")
    parser.set_defaults(func=_purge)


_COMMAND_OPT = cfg.SubCommandOpt("command", title="Command", help="Available commands",
                                 handler=add_command_parsers)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not set(argv) & set(COMMANDS):
        argv.append("upgrade")
    if "command" not in CONF:
        CONF.register_cli_opt(_COMMAND_OPT)
    config.parse_args(argv)
    try:
        CONF.command.func()
    except (exception.WatcherException, db_exc.DBError, alembic_util.CommandError) as error:
        LOG.error("%s failed: %s", CONF.command.name, error)
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
