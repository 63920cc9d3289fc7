"""A private ConfigOpts with every watcher group registered, so tests never touch CONF."""

import textwrap

import pytest
from oslo_config import cfg

from watcher import conf as watcher_conf


@pytest.fixture
def load_conf(tmp_path):
    """``load_conf("[group]\\nkey = value")`` -> a parsed ConfigOpts reading that file."""

    def _load(text: str = "") -> cfg.ConfigOpts:
        path = tmp_path / "watcher.conf"
        path.write_text(textwrap.dedent(text))
        conf = cfg.ConfigOpts()
        for module in watcher_conf.MODULES:
            module.register_opts(conf)
        conf(["--config-file", str(path)], project="watcher", default_config_files=[])
        return conf

    return _load
