"""watcher-sync: write the installed goals and strategies into the database once."""

from __future__ import annotations

import sys

from watcher.common import config


def main(argv: list[str] | None = None) -> None:
    config.parse_args(sys.argv[1:] if argv is None else argv)
    from watcher.decision_engine import sync

    sync.Syncer().sync()


if __name__ == "__main__":
    main()
