"""Nova's volume attachments (``/servers/{id}/os-volume_attachments``): attach, list, show
and detach, and the root volume a server boots from. Attaching marks the Cinder volume
``in-use`` with the server's attachment at once (Nova's attach finishes in seconds; nothing
here waits on a hypervisor)."""

from __future__ import annotations

import string

from watcher.simulator.records import Attachment, Server, Volume
from watcher.simulator.wsgi import HTTPError

ROOT_DEVICE = "/dev/vda"
_ATTACHABLE = ("ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "SHELVED", "SHELVED_OFFLOADED")


class NovaVolumes:
    def __init__(self, app) -> None:
        self.app = app
        self.state = app.state

    def routes(self, add) -> None:
        base = "/v2.1/servers/{server_id}/os-volume_attachments"
        add("GET", base, self.list_attachments)
        add("POST", base, self.attach)
        add("GET", base + "/{volume_id}", self.show_attachment)
        add("DELETE", base + "/{volume_id}", self.detach)

    # -- state changes (also used by the boot of a server from a volume) -----------------------

    def attach_volume(self, server: Server, volume: Volume, device: str | None) -> Attachment:
        """Under the state lock: the volume in use by ``server`` at ``device`` (the next free
        ``/dev/vdX`` when None)."""
        state = self.state
        if volume.status != "available":
            raise HTTPError(400, f"Invalid volume: volume {volume.id} status must be "
                                 f"'available'. Currently in '{volume.status}'")
        attachment = Attachment(state.make_id("attachment", f"{volume.id}:{server.id}"),
                                server.id, device or self._next_device(server),
                                state.clock.now())
        volume.attachments.append(attachment)
        volume.status = "in-use"
        server.volumes.append(volume.id)
        state.touch(volume)
        state.touch(server)
        return attachment

    def _next_device(self, server: Server) -> str:
        taken = {a.device for vid in server.volumes for a in self.state.volumes[vid].attachments
                 if a.server_id == server.id}
        for letter in string.ascii_lowercase[1:]:
            device = f"/dev/vd{letter}"
            if device not in taken:
                return device
        raise HTTPError(400, "No free disk device names for prefix 'vd'")

    # -- API -----------------------------------------------------------------------------------

    def _doc(self, ctx, server: Server, volume: Volume) -> dict:
        attachment = next(a for a in volume.attachments if a.server_id == server.id)
        doc = {"device": attachment.device, "serverId": server.id, "volumeId": volume.id}
        if not ctx.at_least("2.89"):
            doc["id"] = volume.id
        if ctx.at_least("2.70"):
            doc["tag"] = None
        if ctx.at_least("2.79"):
            doc["delete_on_termination"] = False
        if ctx.at_least("2.89"):
            doc["attachment_id"] = attachment.id
            doc["bdm_uuid"] = self.state.make_id("bdm", attachment.id)
        return doc

    def _attached(self, ctx, server_id: str, volume_id: str) -> tuple[Server, Volume]:
        server = self.app._server(ctx, server_id)
        if volume_id not in server.volumes:
            raise HTTPError(404, f"Volume {volume_id} is not attached to the instance "
                                 f"{server_id}.")
        return server, self.state.volumes[volume_id]

    def list_attachments(self, ctx, server_id):
        server = self.app._server(ctx, server_id)
        return 200, {"volumeAttachments": [
            self._doc(ctx, server, self.state.volumes[vid]) for vid in server.volumes]}

    def show_attachment(self, ctx, server_id, volume_id):
        server, volume = self._attached(ctx, server_id, volume_id)
        return 200, {"volumeAttachment": self._doc(ctx, server, volume)}

    def attach(self, ctx, server_id):
        server = self.app._server(ctx, server_id)
        doc = ctx.json().get("volumeAttachment")
        if not isinstance(doc, dict) or not doc.get("volumeId"):
            raise HTTPError(400, "Invalid input for field/attribute volumeAttachment.")
        volume = self.state.volumes.get(str(doc["volumeId"]))
        if volume is None or not (ctx.is_admin or volume.project_id == ctx.project_id):
            raise HTTPError(404, f"Volume {doc['volumeId']} could not be found.")
        if server.status not in _ATTACHABLE or server.task_state is not None:
            raise HTTPError(409, f"Cannot 'attach_volume' instance {server.id} while it is "
                                 f"in vm_state {server.status.lower()}")
        with self.state.lock:
            self.attach_volume(server, volume, doc.get("device"))
        return 200, {"volumeAttachment": self._doc(ctx, server, volume)}

    def detach(self, ctx, server_id, volume_id):
        server, volume = self._attached(ctx, server_id, volume_id)
        attachment = next(a for a in volume.attachments if a.server_id == server.id)
        if server.boot_from_volume and attachment.device == ROOT_DEVICE:
            raise HTTPError(400, "Cannot detach a root device volume")
        with self.state.lock:
            volume.attachments.remove(attachment)
            server.volumes.remove(volume.id)
            if not volume.attachments:
                volume.status = "available"
            self.state.touch(volume)
            self.state.touch(server)
        return 202, None
