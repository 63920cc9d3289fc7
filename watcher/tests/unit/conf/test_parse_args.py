"""watcher.common.config.parse_args, the one entry every console script uses."""

from watcher.common import config
from watcher.conf import CONF


def test_parse_args_reads_files_and_cli(tmp_path):
    conf_file = tmp_path / "watcher.conf"
    conf_file.write_text("[DEFAULT]\nhost = node-7\n[api]\nport = 9999\n")
    try:
        config.parse_args(["--config-file", str(conf_file), "--debug"], default_config_files=[])
        assert CONF.project == "watcher"
        assert CONF.host == "node-7"
        assert CONF.api.port == 9999
        assert CONF.debug is True
        # a second parse (tests, service restarts) must not fail on re-registration
        config.parse_args([], default_config_files=[])
        assert CONF.debug is False
        assert CONF.api.port == 9322
    finally:
        CONF.reset()
        CONF.clear()
