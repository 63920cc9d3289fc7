"""[watcher_decision_engine] options of watcher-decision-engine."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "watcher_decision_engine", title="Defines the parameters of the module decision engine"
)

OPTS = [
    cfg.StrOpt(
        "conductor_topic",
        default="watcher.decision.control",
        help="RPC topic the decision engine listens on for control calls.",
    ),
    cfg.ListOpt(
        "notification_topics",
        default=["nova.versioned_notifications", "openstack.notifications"],
        help="Notification topics to listen to, optionally as 'exchange.topic'. Naming the "
        "exchange allows listener pools.",
    ),
    cfg.StrOpt(
        "publisher_id",
        default="watcher.decision.api",
        help="Identifier of the decision engine on the message broker.",
    ),
    cfg.IntOpt(
        "max_audit_workers",
        default=2,
        min=1,
        required=True,
        help="Largest number of audits executed in parallel.",
    ),
    cfg.IntOpt(
        "max_general_workers",
        default=4,
        min=1,
        required=True,
        help="Largest number of threads for general tasks (model collection and the like); "
        "independent of max_audit_workers.",
    ),
    cfg.IntOpt(
        "action_plan_expiry",
        default=24,
        min=0,
        mutable=True,
        help="Hours after which a RECOMMENDED action plan is considered outdated and "
        "SUPERSEDED.",
    ),
    cfg.IntOpt(
        "check_periodic_interval",
        default=30 * 60,
        min=1,
        mutable=True,
        help="Seconds between two checks for expired action plans.",
    ),
    cfg.StrOpt(
        "metric_map_path",
        default="/etc/watcher/metric_map.yaml",
        help="Optional YAML file overriding metric names per datasource. Its top-level keys "
        "are datasource names; each maps a watcher metric name to the datasource's own "
        "metric name, for example::\n\n"
        "  gnocchi:\n"
        "    instance_cpu_usage: cpu_vm_util\n"
        "  aetos:\n"
        "    instance_cpu_usage: ceilometer_cpu\n",
    ),
    cfg.IntOpt(
        "continuous_audit_interval",
        default=10,
        min=1,
        mutable=True,
        help="Seconds between two looks for newly created continuous audits.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
