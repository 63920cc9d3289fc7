"""The orchestration data model: Heat's state as read-only tables with indexes.

One instance is one collection; the collector replaces it whole, so a reader holding a
reference never sees a half-built model and no copy is needed for an audit. Rows are
NamedTuples; their dict fields are shared, so callers must treat them as read-only.
"""

from __future__ import annotations

import copy as copy_mod
from collections import defaultdict
from collections.abc import Iterable

from watcher.decision_engine.orchestration import tables
from watcher.decision_engine.orchestration.dump import HeatDump

DATA_MODEL_TYPE = "orchestration"

# Names of the tables, as returned by :meth:`OrchestrationModel.table`.
TABLES = ("stacks", "stack_snapshots", "resources", "resource_data", "resource_metadata",
          "resource_types", "stack_events", "event_details", "software_configs",
          "software_deployments")

# Resource types whose physical id is a Nova server, preferred by stack_of_server.
SERVER_TYPES = frozenset({"OS::Nova::Server"})

# Columns of the stack and resource joined in to_list() rows.
_STACK_COLUMNS = ("id", "name", "project_id", "status", "parent_id")
_RESOURCE_COLUMNS = ("name", "physical_id", "type", "status")


def _group(rows: Iterable, key) -> dict[str, tuple]:
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {k: tuple(v) for k, v in groups.items()}


class OrchestrationModel:
    """Tables of one Heat collection plus the indexes strategies query."""

    data_model_type = DATA_MODEL_TYPE

    def __init__(self, *, stacks: Iterable[tables.Stack] = (),
                 stack_snapshots: Iterable[tables.StackSnapshot] = (),
                 resources: Iterable[tables.Resource] = (),
                 resource_data: Iterable[tables.ResourceData] = (),
                 resource_metadata: Iterable[tables.ResourceMetadata] = (),
                 resource_types: Iterable[tables.ResourceType] = (),
                 stack_events: Iterable[tables.StackEvent] = (),
                 event_details: Iterable[tables.EventDetail] = (),
                 software_configs: Iterable[tables.SoftwareConfig] = (),
                 software_deployments: Iterable[tables.SoftwareDeployment] = (),
                 incomplete: Iterable[str] = ()) -> None:
        self.stacks: dict[str, tables.Stack] = {s.id: s for s in stacks}
        self.stack_snapshots = tuple(stack_snapshots)
        self.resources = tuple(resources)
        self.resource_data = {(r.stack_id, r.resource_name): r for r in resource_data}
        self.resource_metadata = {(r.stack_id, r.resource_name): r for r in resource_metadata}
        self.resource_types = {t.name: t for t in resource_types}
        self.stack_events = tuple(stack_events)
        self.event_details = {d.event_id: d for d in event_details}
        self.software_configs = {c.id: c for c in software_configs}
        self.software_deployments = {d.id: d for d in software_deployments}
        # Parts Heat failed to return: a strategy may prefer not to act on a partial view.
        self.incomplete = tuple(incomplete)
        # Set by the collector when a later collection failed and this model is kept.
        self.stale = False

        self._resources_by_stack = _group(self.resources, lambda r: r.stack_id)
        self._resources_by_physical_id = _group(
            (r for r in self.resources if r.physical_id), lambda r: r.physical_id)
        self._snapshots_by_stack = _group(self.stack_snapshots, lambda s: s.stack_id)
        self._events_by_stack = _group(self.stack_events, lambda e: e.stack_id)
        self._children = _group((s for s in self.stacks.values() if s.parent_id),
                                lambda s: s.parent_id)
        self._deployments_by_server = _group(self.software_deployments.values(),
                                             lambda d: d.server_id)
        self._deployments_by_config = _group(self.software_deployments.values(),
                                             lambda d: d.config_id)

    @classmethod
    def from_dump(cls, dump: HeatDump) -> OrchestrationModel:
        stacks, snapshots, resources, data, metadata = [], [], [], [], []
        events, details = [], []
        for item in dump.stacks:
            stack = tables.stack_row(item.summary, item.detail)
            stacks.append(stack)
            snapshots.extend(tables.snapshot_row(stack.id, s) for s in item.snapshots)
            types: dict[str, str] = {}
            for doc in item.resources:
                resource = tables.resource_row(stack.id, doc)
                resources.append(resource)
                types[resource.name] = resource.type
                row = tables.resource_data_row(stack.id, doc)
                if row is not None:
                    data.append(row)
            metadata.extend(tables.ResourceMetadata(stack.id, name, dict(value or {}))
                            for name, value in item.metadata.items())
            detailed = {d["id"]: d for d in item.event_details}
            for doc in item.events:
                known = detailed.get(doc["id"], {}).get("resource_type")
                events.append(tables.event_row(
                    stack.id, doc, known or tables.stack_event_type(stack, types, doc)))
            details.extend(tables.event_detail_row(stack.id, d) for d in item.event_details)
        return cls(
            stacks=stacks, stack_snapshots=snapshots, resources=resources, resource_data=data,
            resource_metadata=metadata,
            resource_types=tables.resource_type_rows(dump.resource_types),
            stack_events=events, event_details=details,
            software_configs=[tables.software_config_row(c) for c in dump.software_configs],
            software_deployments=[tables.software_deployment_row(d)
                                  for d in dump.software_deployments],
            incomplete=dump.incomplete)

    # -- queries -------------------------------------------------------------------------------

    def _stack_id(self, stack: tables.Stack | str) -> str:
        return stack.id if isinstance(stack, tables.Stack) else stack

    def get_stack(self, stack_id: str) -> tables.Stack | None:
        return self.stacks.get(stack_id)

    def find_stacks(self, name: str) -> list[tables.Stack]:
        """Stacks of that name (names are unique per project only)."""
        return [s for s in self.stacks.values() if s.name == name]

    def resources_of_stack(self, stack: tables.Stack | str) -> tuple[tables.Resource, ...]:
        return self._resources_by_stack.get(self._stack_id(stack), ())

    def resources_by_physical_id(self, physical_id: str) -> tuple[tables.Resource, ...]:
        return self._resources_by_physical_id.get(physical_id, ())

    def stack_of_server(self, server_uuid: str) -> tables.Stack | None:
        """The stack whose resource created that server (the innermost one when stacks
        nest: a ResourceGroup's member stack, not its parent)."""
        owners = self.resources_by_physical_id(server_uuid)
        owners = [r for r in owners if r.type in SERVER_TYPES] or list(owners)
        for resource in owners:
            stack = self.stacks.get(resource.stack_id)
            if stack is not None:
                return stack
        return None

    def root_stack(self, stack: tables.Stack | str) -> tables.Stack | None:
        """The top-level stack that (transitively) owns this one."""
        current = self.stacks.get(self._stack_id(stack))
        seen: set[str] = set()
        while current is not None and current.parent_id and current.id not in seen:
            seen.add(current.id)
            parent = self.stacks.get(current.parent_id)
            if parent is None:
                break
            current = parent
        return current

    def child_stacks(self, stack: tables.Stack | str) -> tuple[tables.Stack, ...]:
        return self._children.get(self._stack_id(stack), ())

    def stacks_by_status(self, *statuses: str) -> list[tables.Stack]:
        """Stacks in any of the statuses, given whole (``CREATE_FAILED``) or as the outcome
        alone (``FAILED``), as Heat's own ``status`` filter takes them."""
        wanted = set(statuses)
        return [s for s in self.stacks.values()
                if s.status in wanted or s.status.partition("_")[2] in wanted]

    def snapshots_of_stack(self, stack: tables.Stack | str) -> tuple[tables.StackSnapshot, ...]:
        return self._snapshots_by_stack.get(self._stack_id(stack), ())

    def events_of_stack(self, stack: tables.Stack | str) -> tuple[tables.StackEvent, ...]:
        return self._events_by_stack.get(self._stack_id(stack), ())

    def deployments_of_server(self, server_uuid: str) -> tuple[tables.SoftwareDeployment, ...]:
        return self._deployments_by_server.get(server_uuid, ())

    def deployments_of_config(self, config_id: str) -> tuple[tables.SoftwareDeployment, ...]:
        return self._deployments_by_config.get(config_id, ())

    # -- rows for the data model API -----------------------------------------------------------

    def table(self, name: str) -> list[dict]:
        """The rows of one of :data:`TABLES` as dicts."""
        if name not in TABLES:
            raise KeyError(name)
        rows = getattr(self, name)
        values = rows.values() if isinstance(rows, dict) else rows
        return [row._asdict() for row in values]

    def to_list(self) -> list[dict]:
        """One row per resource joined with its stack (``stack_*`` and ``resource_*``
        columns), and one row with empty resource columns per stack without resources."""
        out = []
        for stack in self.stacks.values():
            head = {f"stack_{c}": getattr(stack, c) for c in _STACK_COLUMNS}
            resources = self.resources_of_stack(stack.id)
            if not resources:
                out.append({**head, **{f"resource_{c}": None for c in _RESOURCE_COLUMNS}})
            for resource in resources:
                out.append({**head, **{f"resource_{c}": getattr(resource, c)
                                       for c in _RESOURCE_COLUMNS}})
        return out

    def copy(self) -> OrchestrationModel:
        """A snapshot for one audit: nothing in a model is changed after it is built, so the
        tables are shared; only the ``stale`` flag is the copy's own."""
        return copy_mod.copy(self)

    def __len__(self) -> int:
        return len(self.stacks)

    def __repr__(self) -> str:
        return (f"<OrchestrationModel stacks={len(self.stacks)} "
                f"resources={len(self.resources)} "
                f"deployments={len(self.software_deployments)}>")
