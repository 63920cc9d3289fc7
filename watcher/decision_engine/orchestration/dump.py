"""What one collection read from Heat, as the JSON documents the API returned.

The reader fills it; :meth:`OrchestrationModel.from_dump` turns it into tables. Keeping the
raw documents between the two lets the table building be tested on samples, without HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StackDump:
    """Everything read about one stack. ``detail`` is the ``show stack`` document;
    ``resources`` come from the ``with_detail`` listing (so they carry attributes);
    ``metadata`` maps a resource name to its metadata; ``event_details`` are the ``show
    event`` documents of the events that were detailed."""

    summary: dict
    detail: dict
    resources: list[dict] = field(default_factory=list)
    metadata: dict[str, dict] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    event_details: list[dict] = field(default_factory=list)
    snapshots: list[dict] = field(default_factory=list)


@dataclass
class HeatDump:
    """A whole collection. ``software_configs`` are ``show`` documents (the listing has no
    config body); ``incomplete`` names what was left out because Heat failed on it (not
    because it was deleted meanwhile), as ``"<kind>:<id>"``."""

    stacks: list[StackDump] = field(default_factory=list)
    resource_types: list = field(default_factory=list)
    software_configs: list[dict] = field(default_factory=list)
    software_deployments: list[dict] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
