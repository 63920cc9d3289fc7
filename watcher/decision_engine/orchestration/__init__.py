"""Heat as a read-only datasource: the orchestration data model and its collector.

- ``reader``: the Heat API calls (bulk where Heat allows) into a ``dump`` of JSON documents.
- ``tables``: one typed row per Heat object, built from those documents.
- ``model``: ``OrchestrationModel``, the tables with indexes and the queries strategies use
  (``stack_of_server``, ``resources_of_stack``, ``deployments_of_server``,
  ``stacks_by_status``...), and ``to_list()`` rows for the data model API.
- ``collector``: the ``orchestration`` cluster data model collector plugin.
"""
