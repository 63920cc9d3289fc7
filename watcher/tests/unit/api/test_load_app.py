"""The served application wires the API's object writes to versioned notifications."""

from watcher.api import app
from watcher.notifications import events
from watcher.objects import base


def test_load_app_registers_the_notification_listener(monkeypatch):
    monkeypatch.setattr(base, "_change_listeners", [])
    monkeypatch.setattr(events, "_registered", False)
    app.load_app()
    assert base._change_listeners == [events.on_change]
