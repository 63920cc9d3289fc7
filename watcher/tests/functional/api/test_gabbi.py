"""Runs every YAML file of ./gabbits against the in-process API (see fixtures.py)."""

import os

from gabbi import driver
from gabbi.driver import test_pytest  # noqa: F401  (the generated tests call it)

from watcher.tests.functional.api import fixtures, handlers

TESTS_DIR = os.path.join(os.path.dirname(__file__), "gabbits")


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        TESTS_DIR,
        intercept=fixtures.setup_app,
        fixture_module=fixtures,
        response_handlers=[handlers.ForbiddenJSONPathsHandler],
        test_loader_name=__name__,
        metafunc=metafunc,
    )
