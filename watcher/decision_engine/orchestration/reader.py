"""Read-only Heat reader: every read call of the orchestration API v1 a datasource needs,
through openstacksdk's orchestration proxy, into a :class:`HeatDump`.

The proxy is used as the keystoneauth adapter it is (catalog endpoint, token, retries and
timeouts from the connection): the SDK has no calls for snapshots, resource metadata,
resource types or event details, and plain JSON keeps one path from the wire to the tables.

Calls per collection:

- bulk, paged (``limit``/``marker``; ``links`` for stacks): stacks of every project,
  nested ones included (``global_tenant``, ``show_nested``); software configs; resource
  types (one call, with descriptions); software deployments (one call: Heat does not page
  them).
- per stack, because Heat has no cross-stack call for them: ``show stack`` (parameters and
  outputs are not in the listing), resources ``with_detail`` (their attributes, i.e. the
  resource data, come along), events (paged), snapshots.
- per resource: metadata (Heat leaves it out of every listing), when
  ``resource_metadata`` is on.
- per event: details (resource type and properties), for the ``event_details`` newest
  events of each stack only; the other events get their type from the resources table.
- per software config: ``show`` (the listing has no config body, inputs or outputs).

A stack, resource, event or config deleted while the collection runs answers 404: it is
left out and the rest is kept. Any other failure on one of them leaves it out too and names
it in ``HeatDump.incomplete``; a failure of a bulk listing fails the collection, so the
previous model stays in place rather than a model missing whole tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent import futures
from typing import TypeVar
from urllib.parse import quote

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions
from openstack import exceptions as sdk_exceptions
from oslo_log import log

from watcher.decision_engine.orchestration.dump import HeatDump, StackDump

LOG = log.getLogger(__name__)

T = TypeVar("T")

# Failures of one item that must not fail the collection; anything else is a bug.
_ITEM_ERRORS = (sdk_exceptions.HttpException, ks_exceptions.ClientException)


class _Vanished(Exception):
    """The stack was deleted while it was being read."""


class HeatReader:
    """Reads the whole of Heat into a :class:`HeatDump`.

    ``adapter`` is ``connection.orchestration`` (any keystoneauth adapter on the Heat
    endpoint). ``event_details`` is the number of newest events per stack whose details are
    fetched; ``workers`` threads read stacks in parallel.
    """

    def __init__(self, adapter: ks_adapter.Adapter, *, page_size: int = 200,
                 resource_metadata: bool = True, event_details: int = 0,
                 workers: int = 4) -> None:
        self._adapter = adapter
        self._page_size = page_size
        self._resource_metadata = resource_metadata
        self._event_details = event_details
        self._workers = max(1, workers)

    # -- HTTP ----------------------------------------------------------------------------------

    def _get(self, url: str, params: dict | None = None) -> dict:
        response = self._adapter.get(url, params=params, headers={"Accept": "application/json"})
        sdk_exceptions.raise_from_response(response)
        return response.json()

    def _pages(self, url: str, key: str, params: dict | None = None,
               links: bool = False) -> Iterator[dict]:
        """Items of a paged listing. With ``links`` the service's ``next`` link is followed
        (stacks); otherwise the next page starts after the last id while pages come back
        full (Heat returns no links for events or software configs)."""
        query = {**(params or {}), "limit": self._page_size}
        while True:
            body = self._get(url, query)
            items = body.get(key) or []
            yield from items
            if not items:
                return
            if links:
                following = [ln["href"] for ln in body.get("links") or ()
                             if ln.get("rel") == "next"]
                if not following:
                    return
                url, query = following[0], None
            elif len(items) < self._page_size:
                return
            else:
                query = {**query, "marker": items[-1]["id"]}

    # -- whole collection ----------------------------------------------------------------------

    def read(self) -> HeatDump:
        dump = HeatDump()
        summaries = self._list_stacks()
        dump.resource_types = self._get(
            "/resource_types", {"with_description": "true"})["resource_types"]
        config_ids = [c["id"] for c in self._pages("/software_configs", "software_configs")]
        dump.software_deployments = self._get(
            "/software_deployments")["software_deployments"]
        with futures.ThreadPoolExecutor(self._workers) as pool:
            stacks = list(pool.map(self._read_stack, summaries))
            configs = list(pool.map(self._read_config, config_ids))
        for stack, incomplete in stacks:
            if stack is not None:
                dump.stacks.append(stack)
            dump.incomplete.extend(incomplete)
        for config, incomplete in configs:
            if config is not None:
                dump.software_configs.append(config)
            dump.incomplete.extend(incomplete)
        LOG.debug("Read %d stacks and %d software configs from Heat (%d incomplete)",
                  len(dump.stacks), len(dump.software_configs), len(dump.incomplete))
        return dump

    def _list_stacks(self) -> list[dict]:
        params = {"global_tenant": "true", "show_nested": "true"}
        try:
            return list(self._pages("/stacks", "stacks", params, links=True))
        except sdk_exceptions.ForbiddenException:
            # Policy may keep global_tenant to cloud admins: the project's stacks still
            # tell which of its servers belong to a stack.
            LOG.warning("Heat refused to list the stacks of every project; reading only "
                        "those of the service project")
            return list(self._pages("/stacks", "stacks", {"show_nested": "true"}, links=True))

    # -- per item ------------------------------------------------------------------------------

    def _read_stack(self, summary: dict) -> tuple[StackDump | None, list[str]]:
        label = f"stack:{summary['id']}"
        try:
            return self._read_stack_parts(summary)
        except _Vanished:
            LOG.info("Stack %s (%s) was deleted during collection", summary.get("stack_name"),
                     summary["id"])
            return None, []
        except _ITEM_ERRORS as err:
            LOG.warning("Stack %s left out of the orchestration model: %s", summary["id"], err)
            return None, [label]

    @staticmethod
    def _stack_call(call: Callable[[], T]) -> T:
        try:
            return call()
        except sdk_exceptions.NotFoundException as err:
            raise _Vanished() from err

    def _read_stack_parts(self, summary: dict) -> tuple[StackDump, list[str]]:
        base = f"/stacks/{quote(summary['stack_name'], safe='')}/{summary['id']}"
        detail = self._stack_call(lambda: self._get(base)["stack"])
        resources = self._stack_call(lambda: self._get(
            base + "/resources", {"with_detail": "true"})["resources"])
        # Oldest first, so the newest events (the ones detailed) are the last ones.
        events = self._stack_call(lambda: list(self._pages(
            base + "/events", "events", {"sort_dir": "asc"})))
        snapshots = self._stack_call(lambda: self._get(base + "/snapshots")["snapshots"])
        stack = StackDump(summary, detail, resources, events=events, snapshots=snapshots)
        incomplete: list[str] = []
        if self._resource_metadata:
            for resource in resources:
                name = resource.get("logical_resource_id") or resource["resource_name"]
                url = f"{base}/resources/{quote(name, safe='')}/metadata"
                found = self._item(url, "metadata", f"resource_metadata:{summary['id']}:{name}",
                                   incomplete)
                if found is not None:
                    stack.metadata[name] = found
        newest = events[-self._event_details:] if self._event_details > 0 else []
        for event in newest:
            name = event.get("resource_name") or event.get("logical_resource_id") or ""
            url = f"{base}/resources/{quote(name, safe='')}/events/{event['id']}"
            found = self._item(url, "event", f"event:{summary['id']}:{event['id']}", incomplete)
            if found is not None:
                stack.event_details.append(found)
        return stack, incomplete

    def _item(self, url: str, key: str, label: str, incomplete: list[str]) -> dict | None:
        """One ``show`` call whose failure loses only that item: None when it is gone (404)
        or failed (then ``label`` goes to ``incomplete``)."""
        try:
            return self._get(url)[key]
        except sdk_exceptions.NotFoundException:
            return None
        except _ITEM_ERRORS as err:
            LOG.warning("Heat failed on %s: %s", url, err)
            incomplete.append(label)
            return None

    def _read_config(self, config_id: str) -> tuple[dict | None, list[str]]:
        incomplete: list[str] = []
        found = self._item(f"/software_configs/{config_id}", "software_config",
                           f"software_config:{config_id}", incomplete)
        return found, incomplete
