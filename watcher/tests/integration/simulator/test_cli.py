import os
import subprocess
import sys

import openstack
import pytest
import yaml

SMALL = os.path.join(os.path.dirname(__file__), "..", "..", "..", "simulator", "scenarios",
                     "small.yaml")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "watcher.cmd.simulator", *args]


def test_check_accepts_the_shipped_scenario():
    result = subprocess.run(_cli("--scenario", SMALL, "--check"), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_broken_scenario_is_rejected_with_field_and_line(tmp_path):
    with open(SMALL, encoding="utf-8") as handle:
        text = handle.read()
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("{name: batch-2, flavor: m1.medium",
                                   "{name: batch-2, flavor: m1.hueg"))
    result = subprocess.run(_cli("--scenario", str(broken)), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    line = text[:text.index("{name: batch-2")].count("\n") + 1
    assert (f"compute.servers[4].flavor: unknown flavor 'm1.hueg' ({broken}, line {line})"
            in result.stderr)


@pytest.mark.integration
def test_serves_and_merges_clouds_yaml(tmp_path, monkeypatch):
    clouds = tmp_path / "clouds.yaml"
    clouds.write_text(yaml.safe_dump({"clouds": {"production": {"auth": {"auth_url": "x"}}}}))
    process = subprocess.Popen(_cli("--scenario", SMALL, "--clouds-yaml", str(clouds),
                                    "--cloud-name", "sim"),
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        first = process.stdout.readline()
        assert first.startswith("Keystone URL: http://127.0.0.1:")
        assert process.stdout.readline().startswith("clouds.yaml:")
        written = yaml.safe_load(clouds.read_text())
        assert set(written["clouds"]) == {"production", "sim"}
        assert written["clouds"]["sim"]["auth"]["auth_url"] == first.split(": ", 1)[1].strip()
        monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(clouds))
        conn = openstack.connect(cloud="sim")
        names = {s.name for s in conn.compute.servers(all_projects=True)}
        assert names == {"web-1", "web-2", "db-1", "batch-1", "batch-2", "demo-1"}
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def test_generate_spec_is_checked():
    ok = subprocess.run(_cli("--generate", "hypervisors=4,servers=30,seed=2", "--check"),
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "valid" in ok.stdout, ok.stderr
    bad = subprocess.run(_cli("--generate", "hosts=4"), capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "unknown key 'hosts'" in bad.stderr
