"""The generator config produces a sample with every group watcher reads."""

import configparser
import pathlib
import subprocess
import sys

import pytest

from watcher.conf import opts

ROOT = pathlib.Path(__file__).resolve().parents[4]
GENERATOR_CONF = ROOT / "etc" / "watcher" / "oslo-config-generator" / "watcher.conf"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> configparser.RawConfigParser:
    output = tmp_path_factory.mktemp("sample") / "watcher.conf.sample"
    subprocess.run(
        [sys.executable, "-m", "oslo_config.generator", "--config-file", str(GENERATOR_CONF),
         "--output-file", str(output)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    # every option in the sample is commented out; uncomment to see the names
    lines = output.read_text().splitlines()
    parser.read_string("\n".join(line[1:] if line.startswith("#") and "=" in line else line
                                 for line in lines))
    return parser


def test_every_watcher_group_is_in_the_sample(sample):
    for group, _ in opts.list_opts():
        name = getattr(group, "name", group)
        if name != "DEFAULT":
            assert sample.has_section(name), name


@pytest.mark.parametrize(
    "section", ["keystone_authtoken", "oslo_messaging_rabbit", "oslo_policy", "database"]
)
def test_library_groups_are_in_the_sample(sample, section):
    assert sample.has_section(section)


def test_maas_client_options(sample):
    assert sample.get("maas_client", "url") == "<None>"
    assert sample.get("maas_client", "api_key") == "<None>"
    assert sample.get("maas_client", "timeout") == "60"


def test_sample_is_reproducible(sample):
    # host and worker counts depend on the machine; the sample must not
    assert sample.get("DEFAULT", "pybasedir") == "<PYBASEDIR>"
    assert sample.get("api", "workers") == "<number of CPUs>"
    assert sample.get("DEFAULT", "host") == "<hostname>"


def test_nova_defaults_in_sample(sample):
    assert sample.get("nova", "api_version") == "2.56"
    assert sample.get("nova", "migration_max_retries") == "180"
    assert sample.get("nova_client", "endpoint_type") == "publicURL"
