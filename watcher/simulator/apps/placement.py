"""Placement: resource providers (one per hypervisor), inventories, usages, allocations,
traits and aggregates, computed from the shared state."""

from watcher.simulator.records import Hypervisor
from watcher.simulator.wsgi import HTTPError, Microversions, ServiceApp

_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict"}
_STANDARD_CLASSES = ["VCPU", "MEMORY_MB", "DISK_GB", "PCI_DEVICE", "SRIOV_NET_VF",
                     "NUMA_SOCKET", "NUMA_CORE", "NUMA_THREAD", "NUMA_MEMORY_MB", "IPV4_ADDRESS",
                     "VGPU", "PCPU"]
_BASE_TRAITS = ["COMPUTE_STATUS_DISABLED", "COMPUTE_NODE"]


class PlacementApp(ServiceApp):
    name = "placement"
    prefix = "/placement"
    catalog = [("placement", "placement", "")]
    microversions = Microversions("placement", "1.0", "1.39")

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.root)
        add("GET", "/resource_providers", self.list_providers)
        add("GET", "/resource_providers/{uuid}", self.show_provider)
        add("GET", "/resource_providers/{uuid}/inventories", self.inventories)
        add("GET", "/resource_providers/{uuid}/inventories/{resource_class}", self.inventory)
        add("GET", "/resource_providers/{uuid}/usages", self.provider_usages)
        add("GET", "/resource_providers/{uuid}/allocations", self.provider_allocations)
        add("GET", "/resource_providers/{uuid}/traits", self.provider_traits)
        add("GET", "/resource_providers/{uuid}/aggregates", self.provider_aggregates)
        add("GET", "/allocations/{consumer}", self.consumer_allocations)
        add("GET", "/traits", self.list_traits)
        add("GET", "/resource_classes", self.list_resource_classes)
        add("GET", "/usages", self.project_usages)

    def error_body(self, status: int, message: str) -> dict:
        return {"errors": [{"status": status, "title": _TITLES.get(status, "Error"),
                            "detail": message, "request_id": None}]}

    def root(self, ctx):
        return 200, {"versions": [{
            "id": "v1.0", "max_version": "1.39", "min_version": "1.0", "status": "CURRENT",
            "links": [{"rel": "self", "href": ""}]}]}

    # -- providers -----------------------------------------------------------------------------

    def _provider(self, uuid: str) -> Hypervisor:
        hypervisor = self.state.hypervisors.get(uuid)
        if hypervisor is None:
            raise HTTPError(404, f"No resource provider with uuid {uuid} found")
        return hypervisor

    def _provider_doc(self, ctx, hypervisor: Hypervisor) -> dict:
        base = f"/resource_providers/{hypervisor.id}"
        links = [{"rel": "self", "href": base}, {"rel": "inventories",
                                                 "href": base + "/inventories"},
                 {"rel": "usages", "href": base + "/usages"}]
        doc = {"uuid": hypervisor.id, "name": hypervisor.name,
               "generation": hypervisor.rp_generation, "links": links}
        if ctx.at_least("1.14"):
            doc["parent_provider_uuid"] = None
            doc["root_provider_uuid"] = hypervisor.id
        return doc

    def list_providers(self, ctx):
        ctx.require_admin()
        name, uuid = ctx.query("name"), ctx.query("uuid")
        if uuid is not None:
            found = [self.state.hypervisors[uuid]] if uuid in self.state.hypervisors else []
        elif name is not None:
            found = [self.state.hypervisors_by_name[name]] \
                if name in self.state.hypervisors_by_name else []
        else:
            found = self.state.hypervisor_order
        member_of = ctx.query("member_of")
        if member_of:
            wanted = set(member_of.removeprefix("in:").split(","))
            found = [h for h in found if wanted & {a.uuid for a in
                                                   self.state.aggregates_of(h.name)}]
        return 200, {"resource_providers": [self._provider_doc(ctx, h) for h in found]}

    def show_provider(self, ctx, uuid):
        ctx.require_admin()
        return 200, self._provider_doc(ctx, self._provider(uuid))

    def _inventories(self, hypervisor: Hypervisor) -> dict:
        def entry(total: int, reserved: int, ratio: float) -> dict:
            return {"total": total, "reserved": reserved, "min_unit": 1, "max_unit": total,
                    "step_size": 1, "allocation_ratio": ratio}

        return {
            "VCPU": entry(hypervisor.vcpus, hypervisor.reserved_vcpus, hypervisor.vcpu_ratio),
            "MEMORY_MB": entry(hypervisor.memory_mb, hypervisor.reserved_memory_mb,
                               hypervisor.memory_ratio),
            "DISK_GB": entry(hypervisor.disk_gb, hypervisor.reserved_disk_gb,
                             hypervisor.disk_ratio),
        }

    def inventories(self, ctx, uuid):
        ctx.require_admin()
        hypervisor = self._provider(uuid)
        return 200, {"inventories": self._inventories(hypervisor),
                     "resource_provider_generation": hypervisor.rp_generation}

    def inventory(self, ctx, uuid, resource_class):
        ctx.require_admin()
        hypervisor = self._provider(uuid)
        inventories = self._inventories(hypervisor)
        if resource_class not in inventories:
            raise HTTPError(404, f"No inventory of class {resource_class} for {uuid}")
        return 200, {**inventories[resource_class],
                     "resource_provider_generation": hypervisor.rp_generation}

    def provider_usages(self, ctx, uuid):
        ctx.require_admin()
        hypervisor = self._provider(uuid)
        return 200, {"usages": {"VCPU": hypervisor.vcpus_used,
                                "MEMORY_MB": hypervisor.memory_mb_used,
                                "DISK_GB": hypervisor.disk_gb_used},
                     "resource_provider_generation": hypervisor.rp_generation}

    def _allocations_on(self, hypervisor: Hypervisor) -> dict:
        out = {}
        with self.state.lock:
            for server_id in sorted(hypervisor.servers):
                vcpus, ram, disk = self.state.server_resources(self.state.servers[server_id])
                out[server_id] = {"resources": _resources(vcpus, ram, disk)}
            for consumer, claim in self.state.claims.items():
                if claim[0] == hypervisor.name:
                    out[consumer] = {"resources": _resources(*claim[1:])}
        return out

    def provider_allocations(self, ctx, uuid):
        ctx.require_admin()
        hypervisor = self._provider(uuid)
        return 200, {"allocations": self._allocations_on(hypervisor),
                     "resource_provider_generation": hypervisor.rp_generation}

    def _traits_of(self, hypervisor: Hypervisor) -> list[str]:
        traits = list(hypervisor.traits) + ["COMPUTE_NODE"]
        if self.state.compute_services[hypervisor.name].status == "disabled":
            # Nova reports a disabled compute service with this trait.
            traits.append("COMPUTE_STATUS_DISABLED")
        return sorted(set(traits))

    def provider_traits(self, ctx, uuid):
        ctx.require_admin()
        hypervisor = self._provider(uuid)
        return 200, {"traits": self._traits_of(hypervisor),
                     "resource_provider_generation": hypervisor.rp_generation}

    def provider_aggregates(self, ctx, uuid):
        ctx.require_admin()
        if not ctx.at_least("1.1"):
            raise HTTPError(404, "The resource could not be found.")
        hypervisor = self._provider(uuid)
        body = {"aggregates": [a.uuid for a in self.state.aggregates_of(hypervisor.name)]}
        if ctx.at_least("1.19"):
            body["resource_provider_generation"] = hypervisor.rp_generation
        return 200, body

    # -- consumers, traits, usages -------------------------------------------------------------

    def consumer_allocations(self, ctx, consumer):
        ctx.require_admin()
        state = self.state
        allocations: dict = {}
        project = user = None
        with state.lock:
            server = state.servers.get(consumer)
            if server is not None and server.host:
                host = state.hypervisors_by_name[server.host]
                allocations[host.id] = {"generation": host.rp_generation,
                                        "resources": _resources(*state.server_resources(
                                            server))}
                project, user = server.project_id, server.user_id
            claim = state.claims.get(consumer)
            if claim is not None:
                host = state.hypervisors_by_name[claim[0]]
                allocations[host.id] = {"generation": host.rp_generation,
                                        "resources": _resources(*claim[1:])}
                migration = next(m for m in state.migrations.values() if m.uuid == consumer)
                project, user = migration.project_id, migration.user_id
        body = {"allocations": allocations}
        if ctx.at_least("1.12") and allocations:
            body.update({"project_id": project, "user_id": user})
        if ctx.at_least("1.28") and allocations:
            body["consumer_generation"] = 1
        return 200, body

    def list_traits(self, ctx):
        if not ctx.at_least("1.6"):
            raise HTTPError(404, "The resource could not be found.")
        traits = set(_BASE_TRAITS)
        for hypervisor in self.state.hypervisor_order:
            traits.update(hypervisor.traits)
        name = ctx.query("name", "")
        if name.startswith("startswith:"):
            traits = {t for t in traits if t.startswith(name[len("startswith:"):])}
        elif name.startswith("in:"):
            traits &= set(name[3:].split(","))
        return 200, {"traits": sorted(traits)}

    def list_resource_classes(self, ctx):
        if not ctx.at_least("1.2"):
            raise HTTPError(404, "The resource could not be found.")
        return 200, {"resource_classes": [
            {"name": rc, "links": [{"rel": "self", "href": f"/resource_classes/{rc}"}]}
            for rc in _STANDARD_CLASSES]}

    def project_usages(self, ctx):
        if not ctx.at_least("1.9"):
            raise HTTPError(404, "The resource could not be found.")
        project = ctx.query("project_id")
        if not project:
            raise HTTPError(400, "'project_id' is a required property")
        user = ctx.query("user_id")
        totals = {"VCPU": 0, "MEMORY_MB": 0, "DISK_GB": 0}
        for server in self.state.servers_by_project.get(project, []):
            if server.host and (user is None or server.user_id == user):
                for key, value in zip(totals, self.state.server_resources(server),
                                      strict=True):
                    totals[key] += value
        return 200, {"usages": totals}


def _resources(vcpus: int, ram: int, disk: int) -> dict:
    resources = {"VCPU": vcpus, "MEMORY_MB": ram}
    if disk:
        resources["DISK_GB"] = disk
    return resources
