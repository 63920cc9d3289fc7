"""MAAS's ``describe/`` document: the handler descriptions python-libmaas builds its client
from (``maas.client.bones``: every resource's ``auth``/``anon`` handler becomes an object
named after the handler, each action a method that calls ``uri`` with ``op``).

Only what the simulated MAAS really serves is described, so a client never finds a method
that would answer 404.
"""

import hashlib
import json
from urllib.parse import urlparse

API = "/api/2.0"

# CRUD verbs piston names an action after when it has no ``op``.
_RESTFUL = {"GET": "read", "POST": "create", "PUT": "update", "DELETE": "delete"}

# (handler name, path under the API root, URI params, anonymous too?, actions as
# (method, op, doc)); ``op`` None is the resource's RESTful action.
HANDLERS = (
    ("VersionHandler", "/version/", (), True, (
        ("GET", None, "Read version and capabilities of this MAAS."),)),
    ("UsersHandler", "/users/", (), False, (
        ("GET", None, "List users."),
        ("GET", "whoami", "Returns the currently logged in user."),)),
    ("UserHandler", "/users/{username}/", ("username",), False, (
        ("GET", None, "Reads a user."),)),
    ("MachinesHandler", "/machines/", (), False, (
        ("GET", None, "List machines, optionally filtered by hostname, id or domain."),)),
    ("MachineHandler", "/machines/{system_id}/", ("system_id",), False, (
        ("GET", None, "Read a machine."),
        ("POST", "power_on", "Power on a machine."),
        ("POST", "power_off", "Power off a machine."),
        ("GET", "query_power_state", "Query the power state of a machine from its BMC."),)),
)


def _handler(base_url: str, name: str, path: str, params: tuple, actions: tuple) -> dict:
    prefix = urlparse(base_url).path.rstrip("/")
    return {
        "name": name,
        "doc": f"Manage {path.strip('/').split('/')[0]}.",
        "params": list(params),
        "path": f"{prefix}{API}{path}",
        "uri": f"{base_url.rstrip('/')}{API}{path}",
        "actions": [{"name": op or _RESTFUL[method], "method": method, "op": op,
                     "restful": op is None, "doc": doc} for method, op, doc in actions],
    }


def describe(base_url: str) -> dict:
    """The document for a MAAS reached at ``base_url`` (e.g. ``http://host:5240/MAAS``)."""
    resources = []
    for name, path, params, anonymous, actions in HANDLERS:
        handler = _handler(base_url, name, path, params, actions)
        anon = None
        if anonymous:
            anon = {**handler, "name": "Anon" + name}
        resources.append({"name": name, "auth": handler, "anon": anon})
    resources.sort(key=lambda r: r["name"])
    # MAAS hashes its handler set so clients can tell when a cached description is stale.
    digest = hashlib.sha1(json.dumps(HANDLERS).encode(), usedforsecurity=False).hexdigest()
    return {"doc": "MAAS API", "resources": resources, "hash": digest}
