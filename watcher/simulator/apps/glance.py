"""Glance (image v2), as much as booting servers needs: images list/show, create, data
upload and delete. Image data is counted and hashed, not kept."""

import hashlib
import uuid

from watcher.simulator.records import Image
from watcher.simulator.wsgi import HTTPError, ServiceApp

_SCHEMA = "/v2/schemas/image"
_CORE = ("name", "visibility", "disk_format", "container_format", "min_disk", "min_ram",
         "protected", "tags", "id")


class GlanceApp(ServiceApp):
    name = "image"
    prefix = "/image"
    catalog = [("image", "glance", "")]
    public_paths = (r"^/?$", r"^/versions/?$")

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/versions", self.versions)
        add("GET", "/v2/images", self.list_images)
        add("POST", "/v2/images", self.create_image)
        add("GET", "/v2/images/{image_id}", self.show_image)
        add("DELETE", "/v2/images/{image_id}", self.delete_image)
        add("PUT", "/v2/images/{image_id}/file", self.upload)

    def error_body(self, status: int, message: str) -> dict:
        return {"code": status, "title": _TITLES.get(status, "Error"), "message": message}

    def versions(self, ctx):
        return 200, {"versions": [{
            "id": "v2.16", "status": "CURRENT",
            "links": [{"rel": "self", "href": ctx.base_url + "/v2/"}]}]}

    def _doc(self, image: Image) -> dict:
        iso = self.state.clock.isotime
        doc = {"id": image.id, "name": image.name, "status": image.status,
               "visibility": image.visibility, "protected": False, "os_hidden": False,
               "checksum": image.checksum, "os_hash_algo": "sha512" if image.checksum else None,
               "os_hash_value": image.checksum and hashlib.sha512(
                   image.checksum.encode()).hexdigest(),
               "owner": image.owner, "size": image.size, "virtual_size": None,
               "min_ram": image.min_ram, "min_disk": image.min_disk,
               "disk_format": image.disk_format, "container_format": image.container_format,
               "created_at": iso(image.created_at), "updated_at": iso(image.updated_at),
               "tags": [], "self": f"/v2/images/{image.id}",
               "file": f"/v2/images/{image.id}/file", "schema": _SCHEMA}
        doc.update(image.properties)
        return doc

    def _image(self, ctx, image_id: str) -> Image:
        image = self.state.tenant.images.get(image_id)
        if image is None or not (ctx.is_admin or image.visibility in ("public", "community")
                                 or image.owner == ctx.project_id):
            raise HTTPError(404, f"No image found with ID {image_id}")
        return image

    def list_images(self, ctx):
        filters = {k: ctx.query(k) for k in ("name", "status", "visibility", "owner")
                   if ctx.query(k) is not None}
        images = []
        for image in self.state.tenant.images.values():
            if not (ctx.is_admin or image.visibility in ("public", "community")
                    or image.owner == ctx.project_id):
                continue
            if all(str(getattr(image, k)) == v for k, v in filters.items()):
                images.append(self._doc(image))
        return 200, {"images": images, "first": "/v2/images", "schema": "/v2/schemas/images"}

    def show_image(self, ctx, image_id):
        return 200, self._doc(self._image(ctx, image_id))

    def create_image(self, ctx):
        body = ctx.json()
        unknown = [k for k in ("status", "size", "checksum", "owner", "self", "file")
                   if k in body]
        if unknown:
            raise HTTPError(403, f"Attribute '{unknown[0]}' is read-only.")
        image_id = str(body.get("id") or uuid.uuid4())
        if image_id in self.state.tenant.images:
            raise HTTPError(409, f"Image with identifier {image_id} already exists!")
        now = self.state.clock.now()
        visibility = body.get("visibility", "shared")
        if visibility not in ("public", "private", "shared", "community"):
            raise HTTPError(400, f"Invalid visibility value: {visibility}")
        image = Image(image_id, body.get("name") or "", ctx.project_id, status="queued",
                      visibility=visibility, disk_format=body.get("disk_format"),
                      container_format=body.get("container_format"),
                      min_disk=int(body.get("min_disk", 0)), min_ram=int(body.get("min_ram", 0)),
                      created_at=now, updated_at=now,
                      properties={k: str(v) for k, v in body.items() if k not in _CORE})
        self.state.tenant.images[image.id] = image
        return 201, self._doc(image), {"Location": f"{ctx.base_url}/v2/images/{image.id}"}

    def upload(self, ctx, image_id):
        image = self._image(ctx, image_id)
        if image.status != "queued":
            raise HTTPError(409, f"Image status transition from {image.status} to saving is "
                                 "not allowed")
        if not (image.disk_format and image.container_format):
            raise HTTPError(400, "Properties disk_format, container_format must be set prior "
                                 "to saving data.")
        data = ctx.req.body
        image.size, image.checksum = len(data), hashlib.md5(data).hexdigest()
        image.status, image.updated_at = "active", self.state.clock.now()
        return 204, None

    def delete_image(self, ctx, image_id):
        image = self._image(ctx, image_id)
        if not (ctx.is_admin or image.owner == ctx.project_id):
            raise HTTPError(403, f"You are not permitted to delete image {image_id}.")
        del self.state.tenant.images[image.id]
        return 204, None


_TITLES = {400: "Bad Request", 403: "Forbidden", 404: "Not Found", 409: "Conflict"}
