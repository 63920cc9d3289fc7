"""[DEFAULT] options of the watcher services (names and defaults as upstream)."""

import os
import socket

from oslo_config import cfg

OPTS = [
    cfg.BoolOpt(
        "enable_authentication",
        default=True,
        help="Authenticate API requests with keystonemiddleware. When False the API runs "
        "without authentication and every request gets an admin context.",
    ),
    cfg.HostAddressOpt(
        "host",
        default=socket.gethostname(),
        sample_default="<hostname>",
        help="Name of this node: the RPC server name, the services table host and the owner "
        "recorded on audits and action plans.",
    ),
    cfg.IntOpt(
        "periodic_interval",
        default=60,
        min=1,
        help="Seconds between periodic tasks (heartbeats, service monitoring).",
    ),
    cfg.IntOpt(
        "service_down_time",
        default=90,
        min=1,
        help="Seconds since the last heartbeat after which a service is reported FAILED.",
    ),
    cfg.StrOpt(
        "notification_level",
        choices=["", "debug", "info", "warning", "error", "critical"],
        default="info",
        help="Lowest priority of versioned notifications to send; empty disables them.",
    ),
    cfg.BoolOpt(
        "fatal_exception_format_errors",
        default=False,
        help="Raise instead of logging when an exception message cannot be formatted.",
    ),
    cfg.BoolOpt(
        "print_thread_pool_stats",
        default=False,
        help="Log (at debug level) the state of a thread pool each time a task is submitted "
        "to it; useful to size max_audit_workers and max_general_workers.",
    ),
    cfg.StrOpt(
        "pybasedir",
        default=os.path.abspath(os.path.join(os.path.dirname(__file__), "..")),
        sample_default="<PYBASEDIR>",
        help="Directory where the watcher python package is installed.",
    ),
    cfg.StrOpt(
        "bindir",
        default="$pybasedir/bin",
        deprecated_for_removal=True,
        deprecated_reason="This option has no effect.",
        help="Directory where watcher binaries are installed.",
    ),
    cfg.StrOpt(
        "state_path",
        default="$pybasedir",
        help="Top-level directory for watcher's state files.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(OPTS)


def list_opts() -> list:
    return [("DEFAULT", OPTS)]
