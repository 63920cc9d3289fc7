"""Options declared by stevedore plugins."""

from oslo_config import cfg

from watcher import conf as watcher_conf
from watcher.conf import opts, plugins


class _FakeStrategy:
    @classmethod
    def get_config_opts(cls):
        return [
            cfg.IntOpt("threshold", default=5, min=0, help="A plugin-specific option."),
            # same name as the in-tree [watcher_strategies.basic] option
            cfg.BoolOpt("check_optimize_metadata", default=True, help="Plugin's own version."),
        ]


class _NoOptions:
    pass


def _fake_classes(namespace):
    if namespace == "watcher_strategies":
        return {"basic": _FakeStrategy, "dummy": _NoOptions, "fancy": _FakeStrategy}
    return {}


def _registered_conf() -> cfg.ConfigOpts:
    conf = cfg.ConfigOpts()
    for module in watcher_conf.MODULES:
        module.register_opts(conf)
    conf([], project="watcher", default_config_files=[])
    return conf


def test_register_plugin_opts_adds_new_group():
    conf = _registered_conf()
    group = plugins.register_plugin_opts(
        conf, "watcher_strategies", "fancy", _FakeStrategy.get_config_opts()
    )
    assert group.threshold == 5
    assert conf["watcher_strategies.fancy"].check_optimize_metadata is True


def test_in_tree_definition_wins_over_plugin_declaration():
    conf = _registered_conf()
    group = plugins.register_plugin_opts(
        conf, "watcher_strategies", "basic", _FakeStrategy.get_config_opts()
    )
    assert group.check_optimize_metadata is False
    assert group.threshold == 5


def test_registering_twice_is_harmless():
    conf = _registered_conf()
    declared = _FakeStrategy.get_config_opts()
    plugins.register_plugin_opts(conf, "watcher_strategies", "fancy", declared)
    group = plugins.register_plugin_opts(conf, "watcher_strategies", "fancy", declared)
    assert group.threshold == 5


def test_plugin_options_reach_the_generator(monkeypatch):
    monkeypatch.setattr(plugins, "_plugin_classes", _fake_classes)
    listed = {getattr(group, "name", group): options for group, options in opts.list_opts()}
    assert [o.name for o in listed["watcher_strategies.fancy"]] == [
        "threshold",
        "check_optimize_metadata",
    ]
    assert "watcher_strategies.dummy" not in listed
    basic = [o for o in listed["watcher_strategies.basic"] if o.name == "check_optimize_metadata"]
    assert len(basic) == 1 and basic[0].default is False
