"""Cluster data model collectors (entry points ``watcher_cluster_data_model_collectors``)."""
