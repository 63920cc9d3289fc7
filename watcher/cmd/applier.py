"""watcher-applier: sync action descriptions, then serve ``watcher.applier.control``."""

from __future__ import annotations

import sys

from oslo_log import log

from watcher.common import config, service
from watcher.conf import CONF

LOG = log.getLogger(__name__)


def build_service() -> service.WatcherService:
    from watcher.applier import manager, sync
    from watcher.notifications import events

    events.register()
    sync.Syncer().sync()
    return service.WatcherService(
        manager.SERVICE_NAME, CONF.watcher_applier.conductor_topic, manager.ApplierManager()
    )


def main(argv: list[str] | None = None) -> None:
    service.init_backend()
    config.parse_args(sys.argv[1:] if argv is None else argv)
    LOG.info("Starting watcher-applier on %s", CONF.host)
    service.launch(build_service(), workers=1)


if __name__ == "__main__":
    main()
