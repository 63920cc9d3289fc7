"""Interfaces of scoring engine plugins and of containers that bundle several of them.

A scoring engine is called with one string and answers with one string (JSON by convention):
engines differ too much in their inputs and outputs for a richer common signature, so the
engine's ``get_metainfo()`` tells the caller how to build the input and read the result.

Engines are instances, not classes: one class can serve several engines configured
differently (see ``dummy_scoring_container``), so name and description are instance methods.
"""

from __future__ import annotations

import abc
from typing import Any


class ScoringEngine(abc.ABC):
    """One scoring engine; its name is unique across every installed engine."""

    def __init__(self, config: Any = None) -> None:
        # The plugin's own option group (``[watcher_scoring_engines.<name>]``) when it has one.
        self.config = config

    @abc.abstractmethod
    def get_name(self) -> str:
        """The unique name the engine is looked up by (and listed under in the API)."""

    @abc.abstractmethod
    def get_description(self) -> str:
        """Human-readable text shown by the API and the CLI."""

    @abc.abstractmethod
    def get_metainfo(self) -> str:
        """Machine-readable facts a caller needs (e.g. the order of the features); may be ''."""

    @abc.abstractmethod
    def calculate_score(self, features: str) -> str:
        """The score of ``features``; both are strings the engine's metainfo describes.

        Raises ValueError when ``features`` is not what the engine expects.
        """

    @classmethod
    def get_config_opts(cls) -> list:
        return []


class ScoringEngineContainer(abc.ABC):
    """One plugin exposing several engines.

    The list is asked for again on every discovery, so a container may return engines built
    from outside data (a model registry, say); a new ``watcher-sync`` then publishes them.
    """

    @classmethod
    @abc.abstractmethod
    def get_scoring_engine_list(cls) -> list[ScoringEngine]:
        """The engines this container provides now."""

    @classmethod
    def get_config_opts(cls) -> list:
        return []
