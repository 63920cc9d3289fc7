"""Command-line and config-file parsing shared by every watcher console script."""

from importlib import metadata

from oslo_log import log

from watcher.conf import CONF

_DEFAULT_LOG_LEVELS = [
    "apscheduler=WARNING",
    "keystoneauth=INFO",
    "stevedore=INFO",
    "urllib3=WARNING",
]


def _version() -> str:
    try:
        return metadata.version("python-watcher")
    except metadata.PackageNotFoundError:
        return "unknown"


def parse_args(argv: list[str], default_config_files: list[str] | None = None) -> None:
    """Parse ``argv`` (without the program name) and config files into the global CONF,
    then set up oslo.log from the result."""
    # register_options raises once the CLI has been parsed, so only register once.
    if "debug" not in CONF:
        log.register_options(CONF)
    log.set_defaults(default_log_levels=log.get_default_log_levels() + _DEFAULT_LOG_LEVELS)
    CONF(
        argv,
        project="watcher",
        version=_version(),
        default_config_files=default_config_files,
    )
    log.setup(CONF, "watcher")
