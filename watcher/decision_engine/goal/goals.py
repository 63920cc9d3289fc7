"""The upstream goals (entry-point group ``watcher_goals``); names and display names are the
wire contract, the efficacy specification says how a goal's solutions are measured."""

from watcher.decision_engine.goal import base, specs


class Dummy(base.Goal):
    NAME = "dummy"
    DISPLAY_NAME = "Dummy goal"


class Unclassified(base.Goal):
    NAME = "unclassified"
    DISPLAY_NAME = "Unclassified"


class ServerConsolidation(base.Goal):
    """Use compute resources efficiently so that fewer servers are needed."""

    NAME = "server_consolidation"
    DISPLAY_NAME = "Server Consolidation"
    EFFICACY_SPECIFICATION = specs.ServerConsolidation


class ThermalOptimization(base.Goal):
    """Balance the temperature across servers."""

    NAME = "thermal_optimization"
    DISPLAY_NAME = "Thermal Optimization"


class WorkloadBalancing(base.Goal):
    """Distribute workloads evenly across servers."""

    NAME = "workload_balancing"
    DISPLAY_NAME = "Workload Balancing"
    EFFICACY_SPECIFICATION = specs.WorkloadBalancing


class AirflowOptimization(base.Goal):
    """Optimize the airflow within the infrastructure."""

    NAME = "airflow_optimization"
    DISPLAY_NAME = "Airflow Optimization"


class NoisyNeighborOptimization(base.Goal):
    """Move low-priority instances that overuse the last-level cache of their host."""

    NAME = "noisy_neighbor"
    DISPLAY_NAME = "Noisy Neighbor"


class SavingEnergy(base.Goal):
    """Reduce the power consumption of the data center."""

    NAME = "saving_energy"
    DISPLAY_NAME = "Saving Energy"


class HardwareMaintenance(base.Goal):
    """Move instances and volumes off compute nodes and storage pools under maintenance."""

    NAME = "hardware_maintenance"
    DISPLAY_NAME = "Hardware Maintenance"
    EFFICACY_SPECIFICATION = specs.HardwareMaintenance


class ClusterMaintaining(base.Goal):
    """Maintain compute nodes without interrupting the users' applications."""

    NAME = "cluster_maintaining"
    DISPLAY_NAME = "Cluster Maintaining"
