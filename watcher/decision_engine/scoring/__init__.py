"""Scoring engines: trained models (or stand-ins for them) that strategies query by name.

Plugins come from two entry-point groups: ``watcher_scoring_engines`` (one engine per entry
point) and ``watcher_scoring_engine_containers`` (one entry point listing several engines).
``scoring_factory`` finds them; the decision engine's Syncer records them in the database so
``GET /v1/scoring_engines`` can list them.
"""
