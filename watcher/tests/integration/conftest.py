"""Fixtures shared by the integration tests."""

import pytest

from watcher.conf import CONF
from watcher.tests.fixtures import config as config_fixture


@pytest.fixture
def conf():
    """CONF parsed as a service parses it (no files), every override undone after the test."""
    yield from config_fixture.isolated(CONF)
