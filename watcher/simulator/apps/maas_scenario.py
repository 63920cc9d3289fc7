"""The ``maas`` scenario section: who the simulated MAAS API key belongs to.

::

    maas:
      api_key: "consumer:token:secret"   # what [maas_client] api_key is set to
      user: admin                         # the key's owner, a MAAS superuser
      domain: maas                        # DNS domain of machines with no dotted name

Every part is optional; without the section the key is derived from the scenario seed, so
the same scenario always accepts the same key. Machines themselves are the ``baremetal``
nodes whose provider is ``maas``.
"""

import hashlib
from dataclasses import dataclass

from watcher.simulator import state as state_mod
from watcher.simulator.scenario import schema

SECTION = "maas"

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        # MAAS keys are three colon-separated parts: consumer key, token key, token secret.
        "api_key": {"type": "string", "pattern": "^[^:]+:[^:]+:[^:]+$"},
        "user": {"type": "string", "minLength": 1, "maxLength": 150},
        "domain": {"type": "string", "pattern": "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$"},
    },
}


@dataclass(frozen=True)
class MaasSettings:
    consumer_key: str
    token_key: str
    token_secret: str
    user: str
    domain: str

    @property
    def api_key(self) -> str:
        return f"{self.consumer_key}:{self.token_key}:{self.token_secret}"


def _derived_key(seed: int) -> str:
    # MAAS issues 18-character keys and a 32-character secret.
    digest = hashlib.sha512(f"watcher-sim:{seed}:maas-api-key".encode()).hexdigest()
    return f"{digest[:18]}:{digest[18:36]}:{digest[36:68]}"


def _build(section: dict, seed: int) -> MaasSettings:
    consumer, token, secret = section.get("api_key", _derived_key(seed)).split(":")
    return MaasSettings(consumer, token, secret, section.get("user", "admin"),
                        section.get("domain", "maas"))


def _load(state, section: dict, scenario) -> None:
    state.extensions[SECTION] = _build(section, state.seed)


def settings(state) -> MaasSettings:
    """The scenario's MAAS settings, or the seed-derived defaults without a section."""
    found = state.extensions.get(SECTION)
    return found if found is not None else _build({}, state.seed)


schema.register_section(SECTION, SCHEMA)
state_mod.register_section_loader(SECTION, _load)
