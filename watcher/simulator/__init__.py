"""A fake OpenStack cloud on loopback that the real client libraries talk to unchanged.

Layout
------
- ``scenario/``: ``schema.py`` (JSON schema, one entry per top-level section), ``loader.py``
  (YAML with line numbers, validation, ``ScenarioError``), ``checks.py`` (cross references),
  ``generator.py`` (large clouds from ``hypervisors=N,servers=M,seed=S``).
- ``state.py``: ``CloudState``, the single object every app reads and mutates (records from
  ``records.py``, indexes, usage counters). ``metrics.py`` evaluates metric series on it.
- ``clock.py`` (simulated time, speed-up factor), ``scheduler.py`` (callbacks at simulated
  times), ``operations.py`` (timed actions: migrations, power...), ``failures.py`` (failure
  rules), ``notify.py`` (Nova/Cinder notifications on the bus), ``identity.py`` (tokens).
- ``wsgi.py``: ``ServiceApp`` base (routing, JSON, microversions, token check, error body);
  ``server.py``: threaded HTTP server and prefix dispatcher; ``runner.py``: ``Simulator``.
- ``apps/``: one module per cloud API.

Using it
--------
::

    from watcher.simulator.runner import Simulator
    with Simulator.from_scenario("cloud.yaml") as sim:   # or a dict, or YAML text
        conn = openstack.connect(**sim.clouds_yaml_entry)
        conn.compute.live_migrate_server(server_id, host="cmp2", block_migration="auto")
        sim.advance()      # jump simulated time to the end of every pending operation
        sim.advance(600)   # or by ten simulated minutes (scenario rules, metrics move too)

``sim.auth_url``, ``sim.admin_credentials``, ``sim.service_url("compute")``, ``sim.state``
(the live cloud), ``sim.operations`` (the same timed actions the APIs trigger),
``sim.notifications.sent`` (every notification made, bus or not) and ``sim.requests``
(HTTP requests per API) are what tests usually need. Without ``advance`` the clock runs at
the scenario's ``clock.speed`` and operations finish on their own.

``Simulator(..., transport_url="rabbit://...")`` also sends notifications, Nova's on the
``nova`` exchange and Cinder's on ``openstack`` as a real cloud does
(``notification_exchanges={"nova_exchange": ..., "cinder_exchange": ...}`` picks others, so
tests sharing a broker stay apart); ``apps=[...]`` serves a subset.
``watcher-simulator --scenario FILE`` (or ``--generate ...``) runs it from the shell and
writes a clouds.yaml entry.

Adding an API app (Ironic, MAAS, Heat, Prometheus, Gnocchi...)
---------------------------------------------------------------
1. ``apps/<service>.py``: subclass ``wsgi.ServiceApp``; set ``name`` (used by failure rules
   ``service:``), ``prefix`` (URL path on the shared port, e.g. ``/baremetal``), ``catalog``
   (``[(service_type, service_name, url_suffix)]``; ``$(project_id)s`` is substituted per
   token), ``microversions`` (``wsgi.Microversions``) and ``public_paths`` (regexes needing no
   token, e.g. version documents). Set ``own_port = True`` when the client cannot use a path
   prefix (Prometheus' host/port); ``sim.service_url(name)`` then gives its URL.
2. ``routes()`` registers handlers: ``self.router.add("GET", "/v1/nodes/{node_id}", fn)``;
   a handler gets a ``wsgi.Context`` (``ctx.token``, ``ctx.version``, ``ctx.json()``,
   ``ctx.query()``, ``ctx.base_url``) plus the path parameters and returns
   ``(status, body)`` or ``(status, body, headers)``; ``body`` may be ``wsgi.Raw(bytes)``.
   Raise ``wsgi.HTTPError(status, message)``; override ``error_body`` for the service's
   error document. An optional ``start()`` runs when the simulator starts.
3. Add ``"watcher.simulator.apps.<service>:<Class>"`` to ``apps.APPS``.
4. Scenario data: ``scenario.schema.register_section("heat", SCHEMA)``, a cross-reference
   check with ``scenario.loader.register_checker``, and a loader with
   ``state.register_section_loader("heat", fn)`` that puts records in
   ``state.extensions["heat"]``. Do the registering at import time of a module the app
   imports (and import it from ``scenario/checks.py`` so validation sees it without apps).
5. State changes that take time go through ``sim.scheduler.after(seconds, callback)`` with
   durations from ``state.dynamics``; check ``sim.failures.operation_failure(op, hosts)``;
   send notifications through ``sim.notifications``. Bare-metal power state lives in
   ``state.baremetal_nodes`` and ``sim.operations.set_power(node, on)`` already moves the
   hypervisor's service state and power draw.
6. Metrics: ``state.metrics.host_value(host, metric, at)`` / ``server_value(id, ...)`` /
   ``host_series(...)``; metric names in ``metrics.HOST_METRICS`` and ``SERVER_METRICS``.
"""
