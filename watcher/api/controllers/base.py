"""Base WSME type of every API resource and the requested-microversion value."""

from __future__ import annotations

import datetime
import functools

import microversion_parse
import wsme
from webob import exc
from wsme import types as wtypes

SERVICE_TYPE = "infra-optim"


class APIBase(wtypes.Base):
    created_at = wsme.wsattr(datetime.datetime, readonly=True)
    updated_at = wsme.wsattr(datetime.datetime, readonly=True)
    deleted_at = wsme.wsattr(datetime.datetime, readonly=True)

    def as_dict(self) -> dict:
        """The fields that carry a value (Unset ones are absent from the body)."""
        return {
            name: getattr(self, name)
            for name in self.fields
            if hasattr(self, name) and getattr(self, name) != wsme.Unset
        }

    @classmethod
    def from_values(cls, values: dict):
        """An instance with every declared attribute taken from ``values`` (else Unset)."""
        item = cls()
        item.fields = [attr.key for attr in wtypes.list_attributes(cls)]
        for name in item.fields:
            setattr(item, name, values.get(name, wtypes.Unset))
        return item

    def unset_fields_except(self, keep: list[str] | None = None) -> None:
        """Drop every field but ``keep`` from the body (the short form of a listing)."""
        keep = keep or []
        for name in self.as_dict():
            if name not in keep:
                setattr(self, name, wsme.Unset)


@functools.total_ordering
class Version:
    """The API version asked for in ``OpenStack-API-Version: infra-optim X.Y``."""

    string = "OpenStack-API-Version"
    min_string = "OpenStack-API-Minimum-Version"
    max_string = "OpenStack-API-Maximum-Version"

    def __init__(self, headers, default_version: str, latest_version: str):
        self.major, self.minor = self.parse_headers(headers, default_version, latest_version)

    def __repr__(self) -> str:
        return f"{self.major}.{self.minor}"

    __str__ = __repr__

    @staticmethod
    def parse_headers(headers, default_version: str, latest_version: str) -> tuple[int, int]:
        requested = microversion_parse.get_version(headers, service_type=SERVICE_TYPE)
        minimal = (1, 0)
        if requested is None:
            return minimal
        text = latest_version if requested.strip().lower() == "latest" else requested
        try:
            version = tuple(int(part) for part in text.strip().split("."))
        except ValueError:
            # Upstream answers unparsable values with the minimal version, not an error.
            version = minimal
        if version == (1,):
            # Old clients send a bare "1", which always meant 1.0.
            version = minimal
        if len(version) != 2:
            raise exc.HTTPNotAcceptable(f"Invalid value for {Version.string} header")
        return version

    def as_tuple(self) -> tuple[int, int]:
        return (self.major, self.minor)

    def __eq__(self, other) -> bool:
        return self.as_tuple() == other.as_tuple()

    def __gt__(self, other) -> bool:
        return self.as_tuple() > other.as_tuple()

    def __hash__(self) -> int:
        return hash(self.as_tuple())
