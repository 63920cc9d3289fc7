"""Shape of a workflow engine plugin (``watcher_workflow_engines``) and the per-action steps.

The engine owns the life of each action row: PENDING -> ONGOING -> SUCCEEDED/FAILED, or
SKIPPED/CANCELLED. A stop request (user cancel seen as CANCELLING, or the applier shutting
down) aborts the running abortable actions and makes every action that has not started
yet end CANCELLED; the action plan handler then records the plan's end state.
"""

from __future__ import annotations

import threading

from oslo_log import log

from watcher import objects
from watcher.common import clients, exception, loader
from watcher.conf import CONF
from watcher.notifications import events

LOG = log.getLogger(__name__)

ACTIONS_NAMESPACE = "watcher_actions"
ActionState = objects.action.State


class BaseWorkFlowEngine:
    def __init__(self, context, config=None) -> None:
        self.context = context
        self.config = config
        # The clients every action of the plan is given: one Keystone session (one token)
        # and one openstacksdk connection, instead of a login and new proxies per action.
        self.clients = clients.OpenStackClients()
        self.stop_reason: str | None = None
        self._stopping = threading.Event()
        self._running: dict[str, object] = {}
        self._lock = threading.Lock()
        self._unstarted_cancelled = False
        self._cancel_lock = threading.Lock()

    @classmethod
    def get_config_opts(cls) -> list:
        return []

    def execute(self, actions: list, action_plan) -> None:
        raise NotImplementedError

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def request_stop(self, reason: str | None = None) -> None:
        """Stop starting actions and abort the running ones that can be aborted."""
        with self._lock:
            if self._stopping.is_set():
                return
            self.stop_reason = reason
            self._stopping.set()
            running = list(self._running.items())
        for uuid, plugin in running:
            if plugin.check_abort():
                LOG.info("Aborting action %s", uuid)
                plugin.abort()

    def load_action(self, action):
        cls = loader.load_class(ACTIONS_NAMESPACE, action.action_type)
        plugin = cls(config=CONF, osc=self.clients)
        plugin.input_parameters = action.input_parameters
        return plugin

    def _save(self, action, state: str, status_message: str | None = None) -> None:
        """One UPDATE from the state the engine last wrote (or loaded); when another
        writer changed the row in between, its state is read and checked once."""
        if action.change_state(state, status_message):
            return
        action.refresh()
        if not action.change_state(state, status_message):
            raise exception.InvalidStateTransition(
                object="action", current_state=action.state, new_state=state)

    def _start(self, action) -> bool:
        """PENDING -> ONGOING; False when a user skipped the action since it was loaded."""
        if action.change_state(ActionState.ONGOING):
            return True
        action.refresh()
        if action.state == ActionState.SKIPPED:
            return False
        self._save(action, ActionState.ONGOING)
        return True

    def run_action(self, action, fail_soft: bool = False) -> bool:
        """Run one action through its phases; returns its success.

        With ``fail_soft`` a failure returns False instead of raising, so a decider can let a
        sibling path run (``action_execution_rule`` ANY).
        """
        if self.stopping:
            raise exception.ActionPlanCancelled(uuid=action.action_plan_id)
        # The action as loaded with its plan: a user's SKIPPED since then is seen when the
        # conditional write to ONGOING (or SKIPPED/FAILED) finds another state.
        if action.state == ActionState.SKIPPED:
            return True
        plugin = self.load_action(action)
        try:
            plugin.validate_parameters()
            plugin.pre_condition()
        except exception.ActionSkipped as exc:
            self._save(action, ActionState.SKIPPED, f"Action was skipped automatically: {exc}")
            return True
        except Exception as exc:
            self._save(action, ActionState.FAILED, f"Action failed in pre_condition: {exc}")
            events.send_phase(self.context, action, "action.execution", "error", exc)
            return self._failed(action, fail_soft)

        # Registered before it shows ONGOING: a stop request either sees it and aborts it,
        # or comes first and is seen here.
        with self._lock:
            if self._stopping.is_set():
                raise exception.ActionPlanCancelled(uuid=action.action_plan_id)
            self._running[action.uuid] = plugin
        if not self._start(action):
            with self._lock:
                self._running.pop(action.uuid, None)
            return True
        events.send_phase(self.context, action, "action.execution", "start")
        error: BaseException | None = None
        try:
            done = bool(plugin.execute())
        except Exception as exc:
            LOG.exception("Action %s raised", action.uuid)
            done, error = False, exc
        finally:
            with self._lock:
                self._running.pop(action.uuid, None)

        if not done and self.stopping:
            self._save(action, ActionState.CANCELLED, self.stop_reason)
            events.send_phase(self.context, action, "action.cancel", "end")
            raise exception.ActionPlanCancelled(uuid=action.action_plan_id)
        if not done:
            reason = str(error) if error else "execute returned False"
            self._save(action, ActionState.FAILED, f"Action failed in execute: {reason}")
            events.send_phase(self.context, action, "action.execution", "error", error)
            return self._failed(action, fail_soft)
        try:
            plugin.post_condition()
        except Exception as exc:
            self._save(action, ActionState.FAILED, f"Action failed in post_condition: {exc}")
            events.send_phase(self.context, action, "action.execution", "error", exc)
            return self._failed(action, fail_soft)
        self._save(action, ActionState.SUCCEEDED)
        events.send_phase(self.context, action, "action.execution", "end")
        return True

    @staticmethod
    def _failed(action, fail_soft: bool) -> bool:
        if fail_soft:
            return False
        raise exception.ActionExecutionFailure(action_id=action.uuid)

    def revert_action(self, action) -> None:
        """Called for the actions TaskFlow started in a flow that did not complete.

        Nothing is read back: every state an action reached while the plan ran was written
        by this engine (SUCCEEDED by no one else), and one that is still PENDING here
        refused to start, whatever a user wrote on it since (a SKIPPED stays).
        """
        if self.stopping and action.state == ActionState.PENDING:
            self._cancel_unstarted(action.action_plan)
            return
        if (
            action.state == ActionState.SUCCEEDED
            and CONF.watcher_applier.rollback_when_actionplan_failed
        ):
            LOG.info("Reverting action %s", action.uuid)
            self.load_action(action).revert()

    def _cancel_unstarted(self, plan) -> None:
        """Once per stop, all the plan's PENDING actions -> CANCELLED in one bulk write: none
        of them will start any more, whether TaskFlow reverts it or never scheduled it."""
        with self._cancel_lock:
            if not self._unstarted_cancelled:
                objects.Action.change_states_of_plan(
                    self.context, plan, [ActionState.PENDING], ActionState.CANCELLED,
                    self.stop_reason)
                self._unstarted_cancelled = True
