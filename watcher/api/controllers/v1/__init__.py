"""API v1: the ``/v1`` document, microversion negotiation and the resource controllers."""

from __future__ import annotations

import pecan
from pecan import rest
from webob import exc
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from watcher.api.controllers import base, link
from watcher.api.controllers.v1 import (
    action,
    action_plan,
    audit,
    audit_template,
    data_model,
    goal,
    scoring_engine,
    service,
    strategy,
    utils,
    versions,
    webhooks,
)

_MIN = base.Version({base.Version.string: f"infra-optim {versions.min_version_string()}"},
                    versions.min_version_string(), versions.max_version_string())
_MAX = base.Version({base.Version.string: f"infra-optim {versions.max_version_string()}"},
                    versions.min_version_string(), versions.max_version_string())


class MediaType(base.APIBase):
    base = wtypes.text
    type = wtypes.text

    def __init__(self, base, type):
        self.base = base
        self.type = type


class V1(base.APIBase):
    id = wtypes.text
    media_types = [MediaType]
    audit_templates = [link.Link]
    audits = [link.Link]
    data_model = [link.Link]
    actions = [link.Link]
    action_plans = [link.Link]
    scoring_engines = [link.Link]
    services = [link.Link]
    webhooks = [link.Link]
    links = [link.Link]

    @staticmethod
    def convert() -> V1:
        url = pecan.request.application_url
        v1 = V1()
        v1.id = "v1"
        v1.links = [
            link.Link.make_link("self", url, "v1", "", bookmark=True),
            link.Link.make_link(
                "describedby",
                "http://docs.openstack.org",
                "developer/watcher/dev",
                "api-spec-v1.html",
                bookmark=True,
                type="text/html",
            ),
        ]
        v1.media_types = [
            MediaType("application/json", "application/vnd.openstack.watcher.v1+json")
        ]
        listed = ["audit_templates", "audits", "actions", "action_plans", "scoring_engines",
                  "services"]
        if utils.allow_list_datamodel():
            listed.append("data_model")
        if utils.allow_webhook_api():
            listed.append("webhooks")
        for resource in listed:
            setattr(v1, resource, [
                link.Link.make_link("self", url, resource, ""),
                link.Link.make_link("bookmark", url, resource, "", bookmark=True),
            ])
        return v1


class Controller(rest.RestController):
    audits = audit.AuditsController()
    audit_templates = audit_template.AuditTemplatesController()
    actions = action.ActionsController()
    action_plans = action_plan.ActionPlansController()
    goals = goal.GoalsController()
    scoring_engines = scoring_engine.ScoringEngineController()
    services = service.ServicesController()
    strategies = strategy.StrategiesController()
    data_model = data_model.DataModelController()
    webhooks = webhooks.WebhookController()

    @wsme_pecan.wsexpose(V1)
    def get(self):
        return V1.convert()

    @staticmethod
    def _check_version(version: base.Version, headers: dict) -> None:
        supported = {
            "ver": version,
            "min": versions.min_version_string(),
            "max": versions.max_version_string(),
        }
        if version.major != versions.BASE_VERSION:
            raise exc.HTTPNotAcceptable(
                "Mutually exclusive versions requested. Version %(ver)s requested but not "
                "supported by this service. The supported version range is: "
                "[%(min)s, %(max)s]." % supported,
                headers=headers,
            )
        if version < _MIN or version > _MAX:
            raise exc.HTTPNotAcceptable(
                "Version %(ver)s was requested but the minor version is not supported by "
                "this service. The supported version range is: [%(min)s, %(max)s]." % supported,
                headers=headers,
            )

    @pecan.expose()
    def _route(self, args, request=None):
        version = base.Version(
            pecan.request.headers, versions.min_version_string(), versions.max_version_string()
        )
        headers = pecan.response.headers
        # Caches must key on the version header too (RFC 7231 Vary).
        headers["Vary"] = base.Version.string
        headers[base.Version.min_string] = versions.min_version_string()
        headers[base.Version.max_string] = versions.max_version_string()
        self._check_version(version, headers)
        headers[base.Version.string] = f"{versions.service_type_string()} {version}"
        pecan.request.version = version
        return super()._route(args, request)
