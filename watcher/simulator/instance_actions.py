"""Nova's instance action log: one action per accepted server request, with the events
of its compute steps, as ``openstack server event list`` and tempest read them."""

from watcher.simulator.records import ActionEvent, InstanceAction, Server

# action name -> the compute manager step Nova records as its event
EVENTS = {
    "create": "compute__do_build_and_run_instance",
    "delete": "compute_terminate_instance",
    "live-migration": "compute_live_migration",
    "migrate": "compute_prep_resize",
    "resize": "compute_prep_resize",
    "confirmResize": "compute_confirm_resize",
    "revertResize": "compute_revert_resize",
    "stop": "compute_stop_instance",
    "start": "compute_start_instance",
}


class ActionLog:
    def __init__(self, clock) -> None:
        self.clock = clock
        self.by_server: dict[str, list[InstanceAction]] = {}

    def begin(self, server: Server, action: str, request_id: str, user_id: str,
              project_id: str) -> InstanceAction:
        now = self.clock.now()
        record = InstanceAction(action, server.id, request_id, user_id, project_id, now, now)
        record.events.append(ActionEvent(EVENTS[action], now, server.host))
        self.by_server.setdefault(server.id, []).append(record)
        return record

    def discard(self, record: InstanceAction) -> None:
        """The request was refused after all: Nova records only accepted actions."""
        self.by_server[record.server_id].remove(record)

    def finish(self, record: InstanceAction | None, error: str | None = None,
               host: str | None = None) -> None:
        if record is None:
            return
        now = self.clock.now()
        event = record.events[-1]
        event.finish_time, event.result = now, "Error" if error else "Success"
        if host is not None:
            event.host = host
        record.updated_at = now
        if error:
            record.message = "Error"

    def of(self, server_id: str) -> list[InstanceAction]:
        """Newest first, as Nova lists them."""
        return sorted(self.by_server.get(server_id, []), key=lambda a: a.start_time,
                      reverse=True)
