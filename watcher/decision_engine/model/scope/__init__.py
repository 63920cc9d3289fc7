"""Audit scopes: cut a model snapshot down to what an audit may touch."""
