"""Entry point ``oslo.config.opts = watcher``: every group, for oslo-config-generator."""

from watcher import conf
from watcher.conf import plugins


def list_opts() -> list:
    groups: dict = {}

    def add(group, opts) -> None:
        key = group if isinstance(group, str) else group.name
        entry = groups.setdefault(key, (group, []))
        # A plugin may declare an option the in-tree group already has; list it once.
        known = {opt.dest for opt in entry[1]}
        entry[1].extend(opt for opt in opts if opt.dest not in known)

    for module in conf.MODULES:
        for group, opts in module.list_opts():
            add(group, opts)
    for group, opts in plugins.list_opts():
        add(group, opts)
    return [(group, opts) for group, opts in groups.values()]
