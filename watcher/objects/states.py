"""Every legal state change of audits, action plans and actions, in one place.

Two kinds of tables live here:

* the full machines (``AUDIT``, ``ACTION_PLAN``, ``ACTION``): what any component may do; the
  objects' ``save()`` enforces them, so a service cannot write an illegal state;
* the API subsets (``*_API``): what a user's PATCH may ask for, and which states a user's
  DELETE accepts (``*_DELETABLE``).

Writing the state a row already has is always allowed: it is a no-op, not a transition.
"""

from collections.abc import Iterable, Mapping

from watcher.common import exception

# Every machine's terminal state: a soft-deleted row.
DELETED = "DELETED"


class AuditState:
    ONGOING = "ONGOING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    DELETED = "DELETED"
    PENDING = "PENDING"
    SUSPENDED = "SUSPENDED"


class ActionPlanState:
    RECOMMENDED = "RECOMMENDED"
    PENDING = "PENDING"
    ONGOING = "ONGOING"
    FAILED = "FAILED"
    SUCCEEDED = "SUCCEEDED"
    DELETED = "DELETED"
    CANCELLED = "CANCELLED"
    SUPERSEDED = "SUPERSEDED"
    CANCELLING = "CANCELLING"


class ActionState:
    PENDING = "PENDING"
    ONGOING = "ONGOING"
    FAILED = "FAILED"
    SUCCEEDED = "SUCCEEDED"
    DELETED = "DELETED"
    CANCELLED = "CANCELLED"
    CANCELLING = "CANCELLING"
    SKIPPED = "SKIPPED"


class StateMachine:
    """A named table of allowed ``from -> {to}`` moves over a fixed set of states."""

    def __init__(
        self, name: str, states: Iterable[str], transitions: Mapping[str, Iterable[str]]
    ) -> None:
        self.name = name
        self.states = frozenset(states)
        self.transitions = {src: frozenset(dsts) for src, dsts in transitions.items()}
        unknown = (set(self.transitions) | set().union(*self.transitions.values())) - self.states
        if unknown:
            raise ValueError(f"{name}: transitions use unknown states {sorted(unknown)}")

    def targets(self, current: str) -> frozenset:
        """States reachable in one move from ``current`` (excluding staying put)."""
        return self.transitions.get(current, frozenset())

    def allowed(self, current: str, new: str) -> bool:
        if new not in self.states:
            return False
        return current == new or new in self.targets(current)

    def check(self, current: str, new: str) -> None:
        """Raise InvalidStateTransition unless ``current -> new`` is allowed."""
        if not self.allowed(current, new):
            raise exception.InvalidStateTransition(
                object=self.name, current_state=current, new_state=new
            )


def _states_of(enum_cls: type) -> list[str]:
    return [value for key, value in vars(enum_cls).items() if key.isupper()]


_A = AuditState
_P = ActionPlanState
_X = ActionState

AUDIT = StateMachine(
    "audit",
    _states_of(AuditState),
    {
        _A.PENDING: (_A.ONGOING, _A.CANCELLED),
        _A.ONGOING: (_A.FAILED, _A.SUCCEEDED, _A.CANCELLED, _A.SUSPENDED),
        _A.FAILED: (_A.DELETED,),
        _A.SUCCEEDED: (_A.DELETED,),
        _A.CANCELLED: (_A.DELETED,),
        _A.SUSPENDED: (_A.ONGOING, _A.DELETED),
    },
)

# ONGOING -> CANCELLED without CANCELLING: an applier that restarts cancels the plans it was
# running; CANCELLING is only the user's request to stop a running plan.
ACTION_PLAN = StateMachine(
    "action plan",
    _states_of(ActionPlanState),
    {
        _P.RECOMMENDED: (_P.PENDING, _P.CANCELLED, _P.SUPERSEDED),
        _P.PENDING: (_P.ONGOING, _P.CANCELLED),
        _P.ONGOING: (_P.SUCCEEDED, _P.FAILED, _P.CANCELLING, _P.CANCELLED),
        _P.CANCELLING: (_P.CANCELLED, _P.FAILED),
        _P.FAILED: (_P.DELETED,),
        _P.SUCCEEDED: (_P.DELETED,),
        _P.CANCELLED: (_P.DELETED,),
        _P.SUPERSEDED: (_P.DELETED,),
    },
)

# CANCELLING -> SUCCEEDED: an action that finishes while its cancellation is being requested
# keeps its real outcome.
ACTION = StateMachine(
    "action",
    _states_of(ActionState),
    {
        _X.PENDING: (_X.ONGOING, _X.SKIPPED, _X.FAILED, _X.CANCELLED),
        _X.ONGOING: (_X.SUCCEEDED, _X.FAILED, _X.CANCELLED, _X.CANCELLING),
        _X.CANCELLING: (_X.CANCELLED, _X.FAILED, _X.SUCCEEDED),
        _X.FAILED: (_X.DELETED,),
        _X.SUCCEEDED: (_X.DELETED,),
        _X.CANCELLED: (_X.DELETED,),
        _X.SKIPPED: (_X.DELETED,),
    },
)

# What a user's PATCH of ``/state`` may do.
AUDIT_API = StateMachine(
    "audit",
    AUDIT.states,
    {
        _A.PENDING: (_A.CANCELLED,),
        _A.ONGOING: (_A.CANCELLED, _A.SUSPENDED),
        _A.SUSPENDED: (_A.ONGOING,),
    },
)

ACTION_PLAN_API = StateMachine(
    "action plan",
    ACTION_PLAN.states,
    {
        _P.RECOMMENDED: (_P.PENDING, _P.CANCELLED),
        _P.PENDING: (_P.CANCELLED,),
        _P.ONGOING: (_P.CANCELLING,),
    },
)

ACTION_API = StateMachine(
    "action",
    ACTION.states,
    {_X.PENDING: (_X.SKIPPED,)},
)


def _sources_of(machine: StateMachine, target: str) -> frozenset:
    return frozenset(src for src, dsts in machine.transitions.items() if target in dsts)


# States from which soft_delete() may remove a row (and a user's DELETE is accepted).
AUDIT_DELETABLE = _sources_of(AUDIT, _A.DELETED)
# Upstream's API also deletes plans nobody started (RECOMMENDED), though its documented graph
# has no such edge; deletion is its own verb, so the machine stays as documented.
ACTION_PLAN_DELETABLE = _sources_of(ACTION_PLAN, _P.DELETED) | {_P.RECOMMENDED}
# Actions have no DELETE of their own: they go with their plan, whatever state they were left in.
ACTION_DELETABLE = ACTION.states


def check_deletable(name: str, deletable: frozenset, current: str) -> None:
    """Raise InvalidStateTransition unless a row in ``current`` state may be soft-deleted."""
    if current != DELETED and current not in deletable:
        raise exception.InvalidStateTransition(
            object=name, current_state=current, new_state=DELETED
        )


def initial_action_plan_state(action_count: int) -> str:
    """A plan with nothing to do is born SUCCEEDED; any other starts RECOMMENDED."""
    return _P.RECOMMENDED if action_count else _P.SUCCEEDED
