import pytest
from webob import exc

from watcher.api.controllers import base
from watcher.api.controllers.v1 import versions


def _parse(value):
    headers = {} if value is None else {"OpenStack-API-Version": value}
    return base.Version.parse_headers(headers, versions.min_version_string(),
                                      versions.max_version_string())


@pytest.mark.parametrize(("header", "expected"), [
    (None, (1, 0)),
    ("infra-optim 1.3", (1, 3)),
    ("infra-optim latest", (1, 7)),
    ("infra-optim LATEST", (1, 7)),
    ("infra-optim 1", (1, 0)),
    ("infra-optim 1.x", (1, 0)),
    ("infra-optim 2.1", (2, 1)),
    ("compute 2.1", (1, 0)),
    ("compute 2.1, infra-optim 1.5", (1, 5)),
])
def test_parse_headers(header, expected):
    assert _parse(header) == expected


def test_three_part_version_is_not_acceptable():
    with pytest.raises(exc.HTTPNotAcceptable):
        _parse("infra-optim 1.2.3")


def test_versions_order():
    low = base.Version({"OpenStack-API-Version": "infra-optim 1.2"}, "1.0", "1.7")
    high = base.Version({"OpenStack-API-Version": "infra-optim 1.10"}, "1.0", "1.7")
    assert low < high
    assert str(high) == "1.10"


def test_version_range():
    assert versions.min_version_string() == "1.0"
    assert versions.max_version_string() == "1.7"
