"""The documentation builds with Sphinx's warnings as errors and shows every plugin and option.

The pages of goals and strategies are generated from the entry points, the option reference
from the registered options: a plugin or option that the build leaves out, or a docstring that
breaks the reStructuredText, fails here instead of rotting unnoticed.
"""

import configparser
import html
import importlib
import os
import re
import subprocess
import sys

import pytest
from stevedore import extension

from watcher.common import policies
from watcher.conf import opts

pytestmark = pytest.mark.integration

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))))
SOURCE = os.path.join(ROOT, "doc", "source")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    pytest.importorskip("sphinx", reason="sphinx is not installed (test-requirements.txt)")
    out = str(tmp_path_factory.mktemp("html"))
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", SOURCE, out],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-5000:]
    return out


def _setup_cfg_entry_points(namespace: str) -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(os.path.join(ROOT, "setup.cfg"))
    lines = parser["options.entry_points"][namespace].strip().splitlines()
    return sorted(line.split("=")[0].strip() for line in lines)


@pytest.mark.parametrize("namespace", ["watcher_goals", "watcher_strategies"])
def test_the_extension_documents_every_plugin_setup_cfg_declares(namespace):
    # The pages come from the installed entry points: an install older than setup.cfg (a
    # strategy added since the last ``pip install -e .``) would leave its page out.
    pytest.importorskip("docutils", reason="docutils is not installed (doc/requirements.txt)")
    sys.path.insert(0, os.path.join(SOURCE, "_exts"))
    try:
        watcher_plugins = importlib.import_module("watcher_plugins")
    finally:
        sys.path.remove(os.path.join(SOURCE, "_exts"))
    assert sorted(watcher_plugins._plugins(namespace)) == _setup_cfg_entry_points(namespace)


def _page(built: str, name: str) -> str:
    with open(os.path.join(built, name), encoding="utf-8") as handle:
        return handle.read()


@pytest.mark.parametrize("namespace,folder", [
    ("watcher_goals", "goals"), ("watcher_strategies", "strategies")])
def test_every_plugin_has_a_page_linked_from_its_index(built, namespace, folder):
    names = extension.ExtensionManager(namespace, invoke_on_load=False).names()
    assert names
    index = _page(built, f"{folder}.html")
    for name in names:
        assert os.path.exists(os.path.join(built, folder, f"{name}.html")), name
        assert f'href="{folder}/{name}.html"' in index, name


def test_strategy_page_shows_goal_metrics_and_parameter_defaults(built):
    page = html.unescape(_page(built, "strategies/vm_workload_consolidation.html"))
    assert 'href="../goals/server_consolidation.html"' in page
    assert "instance_cpu_usage" in page
    text = re.sub(r"<[^>]+>", "", page)
    # The period parameter and its schema default, as the class publishes them.
    assert re.search(r"period\s+number\s+3600", text)
    assert "released_compute_nodes_count" in text


def test_every_option_and_policy_rule_is_documented(built):
    configuration = _page(built, "admin/configuration.html")
    missing = [f"{group}.{opt.dest}" for group, group_opts in opts.list_opts()
               for opt in group_opts
               if f'id="{getattr(group, "name", group)}.{opt.dest}"' not in configuration]
    assert missing == []
    policy = html.unescape(_page(built, "admin/policy.html"))
    assert [rule.name for rule in policies.list_rules() if rule.name not in policy] == []
