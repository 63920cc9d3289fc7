"""[compute_model] options of the compute cluster data model."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "compute_model",
    title="Configuration Options for Compute Model",
    help="Additional configuration options for the compute model.",
)

OPTS = [
    cfg.BoolOpt(
        "enable_extended_attributes",
        default=False,
        help="Also collect extended instance attributes (flavor extra specs, pinned "
        "availability zone). Some need a recent compute microversion in [nova] api_version.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
