"""Options of stevedore plugins: each plugin may declare options (a ``get_config_opts()``
classmethod returning a list of Opt) that live in the group ``<namespace>.<plugin name>``,
for example ``[watcher_planners.weight]``.

The in-tree plugin groups are registered statically by their own modules in this package;
a plugin that declares an option of the same name gets the in-tree definition, so the
documented name, default and validation always win."""

from oslo_config import cfg
from oslo_log import log
from stevedore import extension

LOG = log.getLogger(__name__)

NAMESPACES = (
    "watcher_goals",
    "watcher_strategies",
    "watcher_planners",
    "watcher_actions",
    "watcher_workflow_engines",
    "watcher_cluster_data_model_collectors",
    "watcher_scoring_engines",
    "watcher_scoring_engine_containers",
)


def group_name(namespace: str, name: str) -> str:
    return f"{namespace}.{name}"


def register_plugin_opts(
    conf: cfg.ConfigOpts, namespace: str, name: str, opts: list
) -> cfg.ConfigOpts.GroupAttr:
    """Register a plugin's options (those not already registered) and return its group."""
    group = group_name(namespace, name)
    conf.register_group(cfg.OptGroup(group))
    known = set(conf[group].keys())
    conf.register_opts([opt for opt in opts if opt.dest not in known], group=group)
    return conf[group]


def _plugin_classes(namespace: str) -> dict:
    def _skip(manager, entrypoint, exc):
        LOG.warning("Plugin %s of %s cannot be loaded: %s", entrypoint.name, namespace, exc)

    manager = extension.ExtensionManager(
        namespace=namespace, invoke_on_load=False, on_load_failure_callback=_skip
    )
    return {ext.name: ext.plugin for ext in manager.extensions}


def list_opts() -> list:
    """``(group name, opts)`` for every installed plugin that declares options."""
    result = []
    for namespace in NAMESPACES:
        for name, plugin in sorted(_plugin_classes(namespace).items()):
            get_opts = getattr(plugin, "get_config_opts", None)
            opts = list(get_opts()) if callable(get_opts) else []
            if opts:
                result.append((group_name(namespace, name), opts))
    return result
