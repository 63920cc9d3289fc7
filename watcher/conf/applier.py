"""[watcher_applier] options of watcher-applier."""

from oslo_config import cfg

GROUP = cfg.OptGroup("watcher_applier", title="Options for the Applier messaging core")

OPTS = [
    cfg.IntOpt(
        "workers",
        default=1,
        min=1,
        required=True,
        help="Number of action plans the applier executes at the same time.",
    ),
    cfg.StrOpt(
        "conductor_topic",
        default="watcher.applier.control",
        help="RPC topic the applier listens on for control calls.",
    ),
    cfg.StrOpt(
        "publisher_id",
        default="watcher.applier.api",
        help="Identifier of the applier on the message broker.",
    ),
    cfg.StrOpt(
        "workflow_engine",
        default="taskflow",
        required=True,
        help="Workflow engine plugin (watcher_workflow_engines entry point) that executes "
        "action plans.",
    ),
    cfg.BoolOpt(
        "rollback_when_actionplan_failed",
        default=False,
        deprecated_for_removal=True,
        deprecated_reason="Reverting actions of a failed action plan is unreliable; "
        "operators should inspect and start a new audit instead.",
        help="Revert the already executed actions when an action plan fails.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
