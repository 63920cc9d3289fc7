"""Cluster data model: elements, model root, collectors, notification handlers, scopes."""
