"""gabbi fixtures: each YAML file runs against its own fresh environment."""

from __future__ import annotations

from gabbi import fixture

from watcher.tests.functional.api import environment

_CURRENT: list[environment.ApiEnvironment] = []


def setup_app():
    """The intercepted application.

    gabbi builds its HTTP clients before the fixtures start, so this hands out a dispatcher
    that serves each request with the app of the environment running at that moment.
    """

    def application(environ, start_response):
        return _CURRENT[-1].application(environ, start_response)

    return application


class APIFixture(fixture.GabbiFixture):
    """Fresh SQLite database with goals, strategies, audits, plans, actions, services."""

    def start_fixture(self) -> None:
        env = environment.ApiEnvironment()
        env.start()
        _CURRENT.append(env)

    def stop_fixture(self) -> None:
        _CURRENT.pop().stop()


class CatalogOnlyFixture(fixture.GabbiFixture):
    """Only goals and strategies: listings start empty."""

    def start_fixture(self) -> None:
        env = environment.ApiEnvironment(sample_work=False)
        env.start()
        _CURRENT.append(env)

    def stop_fixture(self) -> None:
        _CURRENT.pop().stop()
