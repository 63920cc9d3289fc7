"""The purge report table and the merging of selections."""

import types

from watcher.db import purge


def _row(row_id: int):
    return types.SimpleNamespace(id=row_id)


def test_merge_never_counts_a_row_twice():
    first = purge.ObjectsMap()
    first.add("goals", [_row(1), _row(2)])
    second = purge.ObjectsMap()
    second.add("goals", [_row(2), _row(3)])
    second.add("actions", [_row(9)])
    first.merge(second)
    assert first.ids("goals") == {1, 2, 3}
    assert len(first) == 4


def test_count_table_has_upstream_columns_and_total():
    selection = purge.ObjectsMap()
    selection.add("audits", [_row(n) for n in range(12)])
    selection.add("actions", [_row(1)])
    lines = selection.count_table().splitlines()
    assert lines[1] == ("| Goals | Strategies | Audit Templates | Audits | Action Plans "
                        "| Actions | Total |")
    assert [cell.strip() for cell in lines[3].strip("|").split("|")] == [
        "0", "0", "0", "12", "0", "1", "13"]
    assert lines[0] == lines[2] == lines[4]
    assert len({len(line) for line in lines}) == 1
