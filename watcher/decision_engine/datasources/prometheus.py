"""The prometheus datasource: a Prometheus server reached directly at ``[prometheus_client]
host:port`` (deprecated upstream in favour of aetos, kept for existing deployments)."""

from __future__ import annotations

import re

from observabilityclient import prometheus_client
from oslo_log import log

from watcher.common import exception
from watcher.conf import CONF
from watcher.decision_engine.datasources import prometheus_base

LOG = log.getLogger(__name__)

_HOST_PART = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)$", re.IGNORECASE)


def _host_port_problem(host: str, port: object) -> str | None:
    """Why ``host``/``port`` cannot be a Prometheus address, or None when they can."""
    if len(host) > 255:
        return f"hostname is too long: '{host}'"
    name = host[:-1] if host.endswith(".") else host
    if not all(_HOST_PART.match(part) for part in name.split(".")):
        return f"hostname '{host}' failed regex match"
    try:
        valid_port = 1 <= int(port) <= 65535
    except (TypeError, ValueError):
        valid_port = False
    if not valid_port:
        return f"missing or invalid port number '{port}'"
    return None


class PrometheusHelper(prometheus_base.PrometheusBase):
    NAME = "prometheus"

    def _setup_prometheus_client(self) -> prometheus_client.PrometheusAPIClient:
        group = CONF.prometheus_client
        if not group.host or not group.port:
            raise exception.MissingParameter(
                message="prometheus host and port must be set in the [prometheus_client] "
                        "section of watcher.conf")
        problem = _host_port_problem(group.host, group.port)
        if problem:
            raise exception.InvalidParameter(
                message=f"A valid prometheus host and port are required, not "
                        f"'{group.host}' '{group.port}': {problem}.")
        # Without a CA the client talks plain http (its session does not verify).
        client = prometheus_client.PrometheusAPIClient(f"{group.host}:{group.port}")
        if group.cafile:
            client.set_ca_cert(group.cafile)
            if group.certfile and group.keyfile:
                client.set_client_cert(group.certfile, group.keyfile)
        if group.username and group.password:
            client.set_basic_auth(group.username, group.password)
        return client

    def _get_fqdn_label(self) -> str:
        return CONF.prometheus_client.fqdn_label

    def _get_instance_uuid_label(self) -> str:
        return CONF.prometheus_client.instance_uuid_label
