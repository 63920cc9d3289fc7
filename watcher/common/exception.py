"""Exceptions shared by every layer.

Each carries a ``msg_fmt`` filled from keyword arguments and an HTTP ``code`` that the API
turns into upstream's JSON error body ``{"error_message": ...}``. Names follow upstream so
log readers and clients see the same words.
"""

import logging

from watcher._i18n import _

LOG = logging.getLogger(__name__)


class WatcherException(Exception):
    msg_fmt = _("An unknown exception occurred")
    code = 500
    headers: dict = {}
    safe = True

    def __init__(self, message: str | None = None, **kwargs):
        self.kwargs = kwargs
        self.kwargs.setdefault("code", self.code)
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                LOG.exception("Could not format %s with %s", self.__class__.__name__, kwargs)
                message = self.msg_fmt
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.msg_fmt

    def format_message(self) -> str:
        return str(self)


# -- generic HTTP-ish categories ------------------------------------------------------------


class NotAuthorized(WatcherException):
    msg_fmt = _("Not authorized")
    code = 403


class PolicyNotAuthorized(NotAuthorized):
    msg_fmt = _("Policy doesn't allow %(action)s to be performed.")


class OperationNotPermitted(NotAuthorized):
    msg_fmt = _("Operation not permitted")


class Invalid(WatcherException, ValueError):
    msg_fmt = _("Unacceptable parameters")
    code = 400


class ObjectNotFound(WatcherException):
    msg_fmt = _("The %(name)s %(id)s could not be found")
    code = 404


class Conflict(WatcherException):
    msg_fmt = _("Conflict")
    code = 409


class ResourceNotFound(ObjectNotFound):
    msg_fmt = _("The %(name)s resource %(id)s could not be found")


class InvalidParameter(Invalid):
    msg_fmt = _("%(parameter)s has to be of type %(parameter_type)s")


class InvalidIdentity(Invalid):
    msg_fmt = _("Expected a uuid or int but received %(identity)s")


class InvalidUUID(Invalid):
    msg_fmt = _("Expected a uuid but received %(uuid)s")


class InvalidName(Invalid):
    msg_fmt = _("Expected a logical name but received %(name)s")


class InvalidUuidOrName(Invalid):
    msg_fmt = _("Expected a logical name or uuid but received %(name)s")


class InvalidIntervalOrCron(Invalid):
    msg_fmt = _("Expected an interval or cron syntax but received %(name)s")


class InvalidState(Invalid):
    msg_fmt = _("The %(object)s is in an invalid state: %(state)s")


class InvalidStateTransition(Invalid):
    msg_fmt = _(
        "Illegal state transition for %(object)s from %(current_state)s to %(new_state)s"
    )
    code = 409


class InvalidSortKey(Invalid):
    msg_fmt = _("Invalid sort key: %(key)s")


class InvalidSortDir(Invalid):
    msg_fmt = _("Invalid sort direction: %(dir)s. Acceptable values are 'asc' or 'desc'")


class InvalidMarker(Invalid):
    msg_fmt = _("Marker %(marker)s could not be found")


class PatchError(Invalid):
    msg_fmt = _("Couldn't apply patch '%(patch)s'. Reason: %(reason)s")


# -- resources ------------------------------------------------------------------------------


class GoalNotFound(ResourceNotFound):
    msg_fmt = _("Goal %(goal)s could not be found")


class GoalAlreadyExists(Conflict):
    msg_fmt = _("A goal with UUID %(uuid)s already exists")


class StrategyNotFound(ResourceNotFound):
    msg_fmt = _("Strategy %(strategy)s could not be found")


class StrategyAlreadyExists(Conflict):
    msg_fmt = _("A strategy with UUID %(uuid)s already exists")


class AuditTemplateNotFound(ResourceNotFound):
    msg_fmt = _("AuditTemplate %(audit_template)s could not be found")


class AuditTemplateAlreadyExists(Conflict):
    msg_fmt = _(
        "An audit_template with UUID or name %(audit_template)s already exists"
    )


class AuditNotFound(ResourceNotFound):
    msg_fmt = _("Audit %(audit)s could not be found")


class AuditAlreadyExists(Conflict):
    msg_fmt = _("An audit with UUID or name %(audit)s already exists")


class AuditReferenced(Invalid):
    msg_fmt = _("Audit %(audit)s is referenced by one or multiple action plans")


class ActionPlanNotFound(ResourceNotFound):
    msg_fmt = _("ActionPlan %(action_plan)s could not be found")


class ActionPlanAlreadyExists(Conflict):
    msg_fmt = _("An action plan with UUID %(uuid)s already exists")


class ActionPlanReferenced(Invalid):
    msg_fmt = _("Action Plan %(action_plan)s is referenced by one or multiple actions")


class ActionNotFound(ResourceNotFound):
    msg_fmt = _("Action %(action)s could not be found")


class ActionAlreadyExists(Conflict):
    msg_fmt = _("An action with UUID %(uuid)s already exists")


class ActionReferenced(Invalid):
    msg_fmt = _("Action plan %(action_plan)s is referenced by one or multiple goals")


class EfficacyIndicatorNotFound(ResourceNotFound):
    msg_fmt = _("Efficacy indicator %(efficacy_indicator)s could not be found")


class EfficacyIndicatorAlreadyExists(Conflict):
    msg_fmt = _("An efficacy indicator with UUID %(uuid)s already exists")


class ScoringEngineNotFound(ResourceNotFound):
    msg_fmt = _("ScoringEngine %(scoring_engine)s could not be found")


class ScoringEngineAlreadyExists(Conflict):
    msg_fmt = _("A scoring engine with UUID %(uuid)s already exists")


class ServiceNotFound(ResourceNotFound):
    msg_fmt = _("The service %(service)s cannot be found.")


class ServiceAlreadyExists(Conflict):
    msg_fmt = _("A service with name %(name)s is already working on %(host)s.")


class ActionDescriptionNotFound(ResourceNotFound):
    msg_fmt = _("The action description %(action_id)s cannot be found.")


class ActionDescriptionAlreadyExists(Conflict):
    msg_fmt = _("An action description with type %(action_type)s is already exist.")


class GoalReferenced(Invalid):
    msg_fmt = _("Goal %(goal)s is referenced by strategies, audit templates or audits")


class StrategyReferenced(Invalid):
    msg_fmt = _(
        "Strategy %(strategy)s is referenced by audit templates, audits or action plans"
    )


class ServiceReferenced(Invalid):
    msg_fmt = _("Service %(service)s is referenced by one or multiple scheduled jobs")


class InvalidOperator(Invalid):
    msg_fmt = _("Filter operator is not valid: %(operator)s not in %(valid_operators)s")


class InvalidFilter(Invalid):
    msg_fmt = _("%(field)s is not a valid filter for %(resource)s")


class NotSoftDeletedStateError(WatcherException):
    msg_fmt = _("%(name)s resource %(id)s is not soft deleted")


class NegativeLimitError(WatcherException):
    msg_fmt = _("Limit should be positive")


class DataModelTypeNotFound(ResourceNotFound):
    msg_fmt = _("The %(data_model_type)s data model could not be found")


# -- behaviour ------------------------------------------------------------------------------


class ActionPlanIsOngoing(Conflict):
    msg_fmt = _("Action Plan %(action_plan)s is currently running.")


class ActionPlanCancelled(WatcherException):
    msg_fmt = _("Action Plan with UUID %(uuid)s is cancelled by user")


class ActionSkipped(WatcherException):
    pass


class ActionExecutionFailure(WatcherException):
    msg_fmt = _("The action %(action_id)s execution failed.")


class WorkflowExecutionException(WatcherException):
    msg_fmt = _("Workflow execution error: %(error)s")


class NoAvailableStrategyForGoal(WatcherException):
    msg_fmt = _("No strategy could be found to achieve the '%(goal)s' goal.")


class UnsupportedActionType(WatcherException):
    msg_fmt = _("The action type '%(action_type)s' is not supported")


class ClusterStateNotDefined(WatcherException):
    msg_fmt = _("The cluster state is not defined")


class ClusterStateStale(WatcherException):
    msg_fmt = _("The cluster state is stale")


class ComputeResourceNotFound(WatcherException):
    msg_fmt = _("The compute resource '%(name)s' could not be found")


class ComputeNodeNotFound(ComputeResourceNotFound):
    msg_fmt = _("The compute node %(name)s could not be found")


class InstanceNotFound(ComputeResourceNotFound):
    msg_fmt = _("The instance '%(name)s' could not be found")


class InstanceNotMapped(ComputeResourceNotFound):
    msg_fmt = _("The mapped compute node for instance '%(uuid)s' could not be found.")


class StorageResourceNotFound(WatcherException):
    msg_fmt = _("The storage resource '%(name)s' could not be found")


class StorageNodeNotFound(StorageResourceNotFound):
    msg_fmt = _("The storage node %(name)s could not be found")


class PoolNotFound(StorageResourceNotFound):
    msg_fmt = _("The pool %(name)s could not be found")


class VolumeNotFound(StorageResourceNotFound):
    msg_fmt = _("The volume '%(name)s' could not be found")


class BaremetalResourceNotFound(WatcherException):
    msg_fmt = _("The baremetal resource '%(name)s' could not be found")


class IronicNodeNotFound(BaremetalResourceNotFound):
    msg_fmt = _("The ironic node %(uuid)s could not be found")


class WildcardCharacterIsUsed(WatcherException):
    msg_fmt = _("You shouldn't use any other IDs of %(resource)s if you use wildcard character.")


class MetalNodeNotFound(ResourceNotFound):
    msg_fmt = _("The bare metal node %(node)s could not be found")


class LoadingError(WatcherException):
    msg_fmt = _("Error loading plugin '%(name)s'")


class ReservedWord(WatcherException):
    msg_fmt = _(
        "The identifier '%(name)s' is a reserved word"
    )


class NotSupported(WatcherException):
    msg_fmt = _("Not supported")
    code = 400


class UnsupportedError(WatcherException):
    msg_fmt = _("Not supported")


class ConfigInvalid(WatcherException):
    msg_fmt = _("Invalid configuration file. %(error_msg)s")


# -- metric datasources -----------------------------------------------------------------------


class MissingParameter(WatcherException):
    msg_fmt = _("%(parameter)s is required but missing. Check the watcher configuration.")


class MetricNotAvailable(WatcherException):
    msg_fmt = _("Metric: %(metric)s not available")


class NoDatasourceAvailable(WatcherException):
    msg_fmt = _("No datasources available")


class DataSourceNotAvailable(WatcherException):
    msg_fmt = _("Datasource %(datasource)s is not available.")


class DataSourceConfigConflict(WatcherException):
    msg_fmt = _(
        "Datasources %(datasource_one)s and %(datasource_two)s cannot be enabled together."
    )


class NoSuchMetricForHost(WatcherException):
    msg_fmt = _("No %(metric)s metric for %(host)s found.")


# -- API request validation -----------------------------------------------------------------


class NotAcceptable(WatcherException):
    msg_fmt = _("Request not acceptable.")
    code = 406


class HTTPNotFound(ResourceNotFound):
    msg_fmt = _("Resource could not be found.")


class AuditTypeNotFound(Invalid):
    msg_fmt = _("Audit type %(audit_type)s could not be found")


class AuditIntervalNotAllowed(Invalid):
    msg_fmt = _("Interval of audit must not be set for %(audit_type)s.")


class AuditIntervalNotSpecified(Invalid):
    msg_fmt = _("Interval of audit must be specified for %(audit_type)s.")


class AuditStartEndTimeNotAllowed(Invalid):
    msg_fmt = _("Start or End time of audit must not be set for %(audit_type)s.")


class AuditTemplateDefaultParametersConflict(Conflict):
    msg_fmt = _(
        "The goal or strategy of audit template %(audit_template)s changes: its "
        "default_parameters must be updated in the same request."
    )


class DeleteError(Invalid):
    msg_fmt = _("Couldn't delete when state is '%(state)s'.")


class StartError(Invalid):
    msg_fmt = _("Couldn't start when state is '%(state)s'.")


class ActionFilterCombinationProhibited(Invalid):
    msg_fmt = _("Filtering actions on both audit and action-plan is prohibited")


class InvalidGoal(Invalid):
    msg_fmt = _("Goal %(goal)s is invalid")


class InvalidStrategy(Invalid):
    msg_fmt = _("Strategy %(strategy)s is invalid")


class AuditParameterNotAllowed(Invalid):
    msg_fmt = _("Audit parameter %(parameter)s are not allowed")


class AuditTypeNotAllowed(Invalid):
    msg_fmt = _("Audit type %(audit_type)s is disallowed.")


class AuditStateNotAllowed(Invalid):
    msg_fmt = _("Audit state %(state)s is disallowed.")
