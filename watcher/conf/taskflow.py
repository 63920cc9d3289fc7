"""[watcher_workflow_engines.taskflow] options of the default workflow engine."""

from oslo_concurrency import processutils
from oslo_config import cfg

GROUP = cfg.OptGroup(
    "watcher_workflow_engines.taskflow", title="Options of the taskflow workflow engine"
)

OPTS = [
    cfg.IntOpt(
        "max_workers",
        default=processutils.get_worker_count(),
        sample_default="<number of CPUs>",
        min=1,
        required=True,
        help="Largest number of actions of one action plan executed at the same time.",
    ),
    cfg.Opt(
        "action_execution_rule",
        type=cfg.types.Dict(value_type=cfg.types.String(choices=["ALWAYS", "ANY"])),
        default={},
        help="Per strategy name, how the actions of a parallel group are run. ALWAYS runs "
        "every action; ANY runs the next action only when the previous one failed, so the "
        "group stops at the first success. Strategies not listed behave as ALWAYS. "
        "Example: host_maintenance:ANY",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
