import textwrap

import pytest

from watcher.simulator.scenario import checks  # noqa: F401 - registers the checks
from watcher.simulator.scenario.loader import ScenarioError, format_path, load

GOOD = textwrap.dedent("""\
    name: small
    compute:
      hypervisors:
        - {name: cmp1, vcpus: 8, memory_mb: 16384, disk_gb: 100}
        - {name: cmp2, vcpus: 8, memory_mb: 16384, disk_gb: 100}
      flavors:
        - {name: m1.small, vcpus: 1, ram: 2048, disk: 20}
      server_groups:
        - {name: spread, policy: anti-affinity}
      servers:
        - {name: vm1, flavor: m1.small, host: cmp1, server_group: spread}
        - {name: vm2, flavor: m1.small, host: cmp2, server_group: spread}
    """)


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(text)
    return caught.value.problems


def test_valid_scenario_loads():
    scenario = load(GOOD)
    assert scenario.doc["compute"]["servers"][1]["host"] == "cmp2"


def test_unknown_flavor_names_field_and_line():
    text = GOOD.replace("- {name: vm2, flavor: m1.small", "- {name: vm2, flavor: m1.hueg")
    problems = _problems(text)
    assert problems == ["compute.servers[1].flavor: unknown flavor 'm1.hueg' "
                        "(scenario, line 12)"]


def test_schema_error_names_field_and_line():
    text = GOOD.replace("vcpus: 8, memory_mb: 16384, disk_gb: 100}\n  flavors",
                        "vcpus: eight, memory_mb: 16384, disk_gb: 100}\n  flavors")
    problems = _problems(text)
    assert len(problems) == 1
    assert problems[0].startswith("compute.hypervisors[1].vcpus: 'eight' is not of type")
    assert problems[0].endswith("(scenario, line 5)")


def test_unknown_field_is_reported():
    problems = _problems(GOOD.replace("name: small", "name: small\nflavours: []"))
    assert problems == ["(top level): unknown field ('flavours' was unexpected) "
                        "(scenario, line 1)"]


def test_yaml_syntax_error_has_line():
    problems = _problems("compute:\n  hypervisors: [\n")
    assert "not valid YAML" in problems[0] and "line 3" in problems[0]


def test_file_source_names_the_file(tmp_path):
    path = tmp_path / "cloud.yaml"
    path.write_text(GOOD.replace("host: cmp2, server_group", "host: cmp9, server_group"))
    with pytest.raises(ScenarioError) as caught:
        load(str(path))
    assert caught.value.problems == [
        f"compute.servers[1].host: unknown host 'cmp9' ({path}, line 12)"]
    assert str(path) in str(caught.value)


def test_dict_source_has_no_line():
    doc = load(GOOD).doc
    doc["compute"]["servers"][0]["project"] = "nobody"
    with pytest.raises(ScenarioError) as caught:
        load(doc)
    assert caught.value.problems == ["compute.servers[0].project: unknown project 'nobody'"]


def test_anti_affinity_violation():
    problems = _problems(GOOD.replace("host: cmp2, server_group", "host: cmp1, server_group"))
    assert problems[0].startswith("compute.servers[1].host: server group 'spread' has policy "
                                  "anti-affinity")


def test_capacity_overflow():
    text = GOOD.replace("{name: m1.small, vcpus: 1, ram: 2048, disk: 20}",
                        "{name: m1.small, vcpus: 1, ram: 9000, disk: 20}")
    text = text.replace("host: cmp2, server_group: spread", "host: cmp1")
    problems = _problems(text)
    assert problems == ["compute.servers[1].host: host 'cmp1' has no room for this server: "
                        "MEMORY_MB 18000 > capacity 15872 (scenario, line 12)"]


def test_duplicates_and_storage_references():
    text = GOOD + textwrap.dedent("""\
        storage:
          backends:
            - name: lvm
              host: stor1
              pools: [{name: p1, total_capacity_gb: 100}]
          volumes:
            - {name: v1, size: 1, pool: "stor1@lvm#p2"}
            - {name: v1, size: 1, pool: "stor1@lvm#p1", attachments: [{server: ghost}]}
        """)
    problems = _problems(text)
    assert any(p.startswith("storage.volumes[1].name: duplicate volume name 'v1'")
               for p in problems)
    assert any(p.startswith("storage.volumes[0].pool: unknown pool 'stor1@lvm#p2'")
               for p in problems)
    assert any(p.startswith("storage.volumes[1].attachments[0].server: unknown server 'ghost'")
               for p in problems)


def test_metrics_and_failures_references(tmp_path):
    trace = tmp_path / "trace.csv"
    trace.write_text("# comment\nvmA,1,2,3\n")
    text = GOOD + textwrap.dedent(f"""\
        metrics:
          servers:
            vm1: {{cpu_util: {{trace: {{file: {trace}, row: vmB}}}}}}
            vm9: {{cpu_util: {{constant: 3}}}}
          hosts:
            cmp1: {{fan_speed: {{constant: 1}}}}
        failures:
          - {{type: refuse_live_migration, host: cmp7}}
          - {{type: api_timeout, service: compute}}
        """)
    problems = _problems(text)
    assert any(p.startswith("metrics.servers.vm1.cpu_util.trace.row: no row 'vmB'")
               for p in problems)
    assert any(p.startswith("metrics.servers.vm9: unknown server 'vm9'") for p in problems)
    assert any(p.startswith("metrics.hosts.cmp1.fan_speed: unknown metric") for p in problems)
    assert any(p.startswith("failures[0].host: unknown host 'cmp7'") for p in problems)
    assert any(p.startswith("failures[1]: a api_timeout rule needs 'delay'") for p in problems)


def test_format_path():
    assert format_path(("compute", "servers", 3, "flavor")) == "compute.servers[3].flavor"
    assert format_path(()) == "(top level)"
