"""A simulated cloud with Heat stacks, and watcher.conf pointing at it."""


from watcher.simulator.runner import Simulator

APPS = ["watcher.simulator.apps.keystone:KeystoneApp",
        "watcher.simulator.apps.heat:HeatApp"]

SCENARIO = """
clock: {start: "2026-01-01T00:00:00Z"}
compute:
  flavors: [{name: m1, vcpus: 1, ram: 512, disk: 1}]
  hypervisors: [{name: cn1, vcpus: 8, memory_mb: 16384, disk_gb: 200}]
  servers:
    - {name: web-1, flavor: m1, host: cn1}
    - {name: web-2, flavor: m1, host: cn1}
    - {name: db-1, flavor: m1, host: cn1, project: demo}
    - {name: lonely, flavor: m1, host: cn1}
heat:
  stacks:
    - name: web
      tags: [prod, web]
      parameters: {flavor: m1, count: 2}
      outputs: [{output_key: url, output_value: "http://10.0.0.5"}]
      resources:
        - name: server-a
          type: OS::Nova::Server
          server: web-1
          attributes: {first_address: 10.0.0.5}
          metadata: {role: frontend}
          properties: {flavor: m1}
        - name: server-b
          type: OS::Nova::Server
          server: web-2
        - name: port
          type: OS::Neutron::Port
          required_by: [server-a]
          status: UPDATE_COMPLETE
      events:
        - {resource: server-a, status: CHECK_COMPLETE, reason: checked}
      snapshots: [{name: before-upgrade}, {name: nightly, status: FAILED}]
    - name: batch
      status: CREATE_FAILED
      status_reason: "Resource CREATE failed: quota"
      tags: [dev]
    - name: db
      project: demo
      resources: [{name: server, type: OS::Nova::Server, server: db-1, metadata: {role: db}}]
    - name: net
      status: UPDATE_IN_PROGRESS
      resources: [{name: router, type: OS::Neutron::Router}]
  software_configs:
    - {name: install, group: script, config: "#!/bin/sh\\necho hi", inputs: [{name: foo}],
       outputs: [{name: result}], options: {timeout: 30}}
    - {name: tune, group: ansible, project: demo}
  software_deployments:
    - {server: web-1, config: install, output_values: {deploy_status_code: 0}}
    - {server: web-1, config: tune, status: IN_PROGRESS, input_values: {level: 3}}
    - {server: db-1, config: tune, status: FAILED}
"""


def start(scenario: str = SCENARIO) -> Simulator:
    return Simulator.from_scenario(scenario, apps=APPS)
