"""Watcher: resource optimization for OpenStack clouds (wire-compatible re-implementation)."""

__version__ = "0.1.0"
