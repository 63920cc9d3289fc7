"""What the consolidation strategies share to make plans that are safe to apply.

A host has two kinds of limits and a plan must respect both at every step:

- allocations, counted as Placement counts them: the flavors' vCPU, memory and disk against
  ``(total - reserved) x allocation_ratio``; Nova refuses a migration past them;
- measured use against the physical host: a high percentile (p95 by default) of each
  instance's recent CPU and memory use against the physical cores and memory, with headroom.
  The mean hides the peaks that overload a host once the plan has run.

``problem`` turns a model and its metrics into arrays, ``state`` tracks a placement and checks
moves against both limits, ``bounds`` gives the lower bounds a plan is judged against,
``heuristic`` and ``solver`` search, ``ordering`` checks that every intermediate state of a
plan is within the limits.
"""
