"""Runs every YAML file of ./gabbits against the in-process API (see fixtures.py)."""

import os

from gabbi import driver, pytester
from gabbi.driver import test_pytest  # noqa: F401  (the generated tests call it)

from watcher.tests.functional.api import fixtures, handlers

TESTS_DIR = os.path.join(os.path.dirname(__file__), "gabbits")

_gabbi_cleanname = pytester.get_cleanname


def _cleanname_of_gabbi_tests_only(item) -> str:
    # gabbi's collection hook sees every test of the session and takes any id holding ':'
    # for one of its own; ids elsewhere (PromQL ranges, state pairs) legitimately hold ':'.
    if getattr(item, "module", None) is not None and item.module.__name__ == __name__:
        return _gabbi_cleanname(item)
    return item.name.replace(":", "_")


pytester.get_cleanname = _cleanname_of_gabbi_tests_only


def pytest_generate_tests(metafunc):
    driver.py_test_generator(
        TESTS_DIR,
        intercept=fixtures.setup_app,
        fixture_module=fixtures,
        response_handlers=[handlers.ForbiddenJSONPathsHandler],
        test_loader_name=__name__,
        metafunc=metafunc,
    )
