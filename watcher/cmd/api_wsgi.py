"""WSGI entry of the API for uwsgi, mod_wsgi or gunicorn: ``watcher.cmd.api_wsgi:application``.

``initialize_wsgi_app`` reads the config files the usual way (``WATCHER_CONFIG_FILE`` may point
at another file); the ``watcher-api-wsgi`` script serves the same app on ``[api] port`` for
quick local runs.
"""

from __future__ import annotations

import os
import sys

from watcher.api import app
from watcher.common import config


def initialize_wsgi_app(argv: list[str] | None = None):
    config_file = os.environ.get("WATCHER_CONFIG_FILE")
    config.parse_args(
        [] if argv is None else argv,
        default_config_files=[config_file] if config_file else None,
    )
    return app.load_app()


def main(argv: list[str] | None = None) -> int:
    from watcher.cmd import api

    application = initialize_wsgi_app(sys.argv[1:] if argv is None else argv)
    api.serve(application)
    return 0


if __name__ == "__main__":
    sys.exit(main())
