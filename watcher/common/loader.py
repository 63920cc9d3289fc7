"""Stevedore plugin lookup shared by the decision engine and the applier."""

from __future__ import annotations

from stevedore import driver, extension

from watcher.common import exception


def load_class(namespace: str, name: str) -> type:
    """The plugin class registered as ``name`` in entry-point group ``namespace``."""
    try:
        manager = driver.DriverManager(namespace=namespace, name=name, invoke_on_load=False)
    except Exception as exc:  # stevedore raises several types for a missing/broken plugin
        raise exception.LoadingError(name=name) from exc
    return manager.driver


def list_classes(namespace: str) -> dict[str, type]:
    """All plugin classes of a group, by entry-point name (broken plugins are skipped)."""
    manager = extension.ExtensionManager(namespace=namespace, invoke_on_load=False)
    return {ext.name: ext.plugin for ext in manager.extensions}
