"""Finding scoring engines by name.

Engines come from two entry-point groups: ``watcher_scoring_engines`` (a class per engine,
instantiated once) and ``watcher_scoring_engine_containers`` (a class whose
``get_scoring_engine_list()`` returns engine instances). Engines are keyed by their own
``get_name()``, not by the entry-point name, so a container can publish any number of them.

Lookups by name reuse the engines found by the last discovery, because enumerating the
plugins on every call would cost each strategy run an entry-point scan. Listing always
rediscovers: it serves discoverability (the sync), where a container's list may have changed.
"""

from __future__ import annotations

import threading

from oslo_config import cfg
from oslo_log import log

from watcher.common import exception, loader
from watcher.decision_engine.scoring import base

LOG = log.getLogger(__name__)

ENGINES_NAMESPACE = "watcher_scoring_engines"
CONTAINERS_NAMESPACE = "watcher_scoring_engine_containers"


class ScoringEngineNotFound(exception.ScoringEngineNotFound, KeyError):
    """No installed engine has that name (a KeyError too, which is what upstream raised)."""


_engines: dict[str, base.ScoringEngine] | None = None
# Audits run in a worker pool and the sync may rediscover meanwhile: the swap of the map must
# not interleave with a first load.
_lock = threading.Lock()


def _plugin_config(namespace: str, name: str):
    group = f"{namespace}.{name}"
    return cfg.CONF[group] if group in cfg.CONF else None


def _discover() -> dict[str, base.ScoringEngine]:
    engines: dict[str, base.ScoringEngine] = {}
    for name, cls in sorted(loader.list_classes(ENGINES_NAMESPACE).items()):
        try:
            engine = cls(config=_plugin_config(ENGINES_NAMESPACE, name))
        except Exception:
            # One broken plugin must not hide every other engine from the strategies.
            LOG.exception("Scoring engine plugin %s cannot be instantiated", name)
            continue
        LOG.debug("Found scoring engine %s (plugin %s)", engine.get_name(), name)
        engines[engine.get_name()] = engine
    for name, container in sorted(loader.list_classes(CONTAINERS_NAMESPACE).items()):
        try:
            listed = list(container.get_scoring_engine_list())
        except Exception:
            LOG.exception("Scoring engine container %s cannot list its engines", name)
            continue
        for engine in listed:
            LOG.debug("Found scoring engine %s (container %s)", engine.get_name(), name)
            if engine.get_name() in engines:
                LOG.warning(
                    "Scoring engine %s of container %s replaces an engine of the same name",
                    engine.get_name(), name,
                )
            engines[engine.get_name()] = engine
    return engines


def _reload(refresh: bool = False) -> dict[str, base.ScoringEngine]:
    global _engines
    with _lock:
        if _engines is None or refresh:
            LOG.debug("Reloading scoring engine plugins")
            _engines = _discover()
        return _engines


def get_scoring_engine(name: str) -> base.ScoringEngine:
    """The engine called ``name``, from the last discovery.

    A name the last discovery did not see triggers one rediscovery first: a container may
    have gained the engine since (upstream would only find it after a restart).
    """
    engine = _reload().get(name)
    if engine is None:
        engine = _reload(refresh=True).get(name)
    if engine is None:
        raise ScoringEngineNotFound(scoring_engine=name)
    return engine


def get_scoring_engine_list() -> list[base.ScoringEngine]:
    """Every installed engine, rediscovered now (the cache then holds this list)."""
    return list(_reload(refresh=True).values())
