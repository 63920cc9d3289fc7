"""[grafana_client] options of the Grafana datasource (one proxy query per metric)."""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    "grafana_client",
    title="Configuration Options for Grafana",
    help="See the Grafana datasource documentation for how these options are used.",
)

METRICS = (
    "host_cpu_usage",
    "host_ram_usage",
    "host_outlet_temp",
    "host_inlet_temp",
    "host_airflow",
    "host_power",
    "instance_cpu_usage",
    "instance_ram_usage",
    "instance_ram_allocated",
    "instance_l3_cache_usage",
    "instance_root_disk_size",
)


def _per_metric(name: str, help_text: str) -> cfg.Opt:
    return cfg.DictOpt(name, default=dict.fromkeys(METRICS), help=help_text)


OPTS = [
    cfg.StrOpt("token", secret=True, help="Grafana API token."),
    cfg.URIOpt(
        "base_url",
        schemes=["http", "https"],
        help="Beginning of the datasource proxy URL, up to the project id. Example: "
        "https://grafana.example.org/api/datasources/proxy/",
    ),
    _per_metric(
        "project_id_map",
        "Grafana datasource (project) id per watcher metric; positive integers. "
        "Example: host_cpu_usage:7465",
    ),
    _per_metric(
        "database_map",
        "Database per watcher metric. Example: host_cpu_usage:influx_production",
    ),
    _per_metric(
        "attribute_map",
        "Resource attribute that identifies the resource in queries, per watcher metric. "
        "Example: host_cpu_usage:hostname",
    ),
    _per_metric(
        "translator_map",
        "Query translator per watcher metric. Example: host_cpu_usage:influxdb",
    ),
    _per_metric(
        "query_map",
        "Query template per watcher metric, filled with str.format: {0} aggregate, "
        "{1} resource attribute, {2} period, {3} granularity, {4} translator specific "
        "(the retention period for InfluxDB). Example: SELECT cpu FROM {4}.cpu_percent "
        "WHERE host == '{1}' AND time > now()-{2}s",
    ),
    cfg.IntOpt(
        "http_timeout",
        default=60,
        min=0,
        mutable=True,
        help="Seconds allowed for one Grafana request.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
