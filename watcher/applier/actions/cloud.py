"""Shared parts of the actions that act on the cloud: clients and schema fragments."""

from __future__ import annotations

import functools

from watcher.applier.actions import base
from watcher.common import nova_helper

UUID_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "pattern": "^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$",
}
NAME_SCHEMA = {"type": "string", "minLength": 1}
# Strategies write None for "let the cloud's scheduler choose".
OPTIONAL_NAME_SCHEMA = {"anyOf": [NAME_SCHEMA, {"type": "null"}]}


class CloudAction(base.BaseAction):
    """An action with lazily built clients: the workflow engine gives none, tests may."""

    @functools.cached_property
    def clients(self):
        return self.osc if self.osc is not None else nova_helper.default_clients()

    @functools.cached_property
    def nova(self) -> nova_helper.NovaHelper:
        return nova_helper.NovaHelper(osc=self.clients)
