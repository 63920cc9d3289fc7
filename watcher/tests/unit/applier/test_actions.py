import threading
import time

import pytest

from watcher.applier.actions import nop, sleep
from watcher.common import exception


def test_sleep_abort_interrupts_and_reports_failure():
    action = sleep.Sleep()
    action.input_parameters = {"duration": 30}
    assert action.validate_parameters()
    threading.Timer(0.2, action.abort).start()
    started = time.monotonic()
    assert action.execute() is False
    assert time.monotonic() - started < 5


def test_sleep_schema_requires_non_negative_duration():
    action = sleep.Sleep()
    action.input_parameters = {"duration": -1}
    with pytest.raises(exception.InvalidParameter):
        action.validate_parameters()


def test_nop_switches():
    action = nop.Nop()
    action.input_parameters = {"message": "m", "skip_pre_condition": True}
    with pytest.raises(exception.ActionSkipped):
        action.pre_condition()
    action.input_parameters = {"message": "m", "fail_execute": True}
    assert action.execute() is False
    action.input_parameters = {"message": None}
    assert action.validate_parameters() and action.execute() is True
