"""The JSON-as-text column types."""

import pytest

from watcher.db.sqlalchemy import types


@pytest.mark.parametrize("column_type,empty,value", [
    (types.JSONEncodedDict(), {}, {"a": [1, 2], "b": None}),
    (types.JSONEncodedList(), [], [{"compute": []}, 3]),
])
def test_round_trip_and_none(column_type, empty, value):
    stored = column_type.process_bind_param(value, None)
    assert isinstance(stored, str)
    assert column_type.process_result_value(stored, None) == value
    assert column_type.process_result_value(column_type.process_bind_param(None, None),
                                            None) == empty
    assert column_type.process_result_value(None, None) is None


def test_wrong_container_is_refused():
    with pytest.raises(TypeError):
        types.JSONEncodedDict().process_bind_param([1], None)
    with pytest.raises(TypeError):
        types.JSONEncodedList().process_bind_param({"a": 1}, None)
