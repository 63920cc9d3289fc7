"""Entry point ``oslo.config.opts = watcher``: every group, for oslo-config-generator."""

from watcher import conf


def list_opts() -> list:
    groups: dict = {}
    for module in conf.MODULES:
        for group, opts in module.list_opts():
            key = group if isinstance(group, str) else group.name
            entry = groups.setdefault(key, (group, []))
            entry[1].extend(opts)
    return [(group, opts) for group, opts in groups.values()]
