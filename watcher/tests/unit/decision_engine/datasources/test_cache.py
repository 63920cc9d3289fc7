from watcher.decision_engine.datasources.cache import MetricCacheKey, MetricDataCache


def test_key_is_upstreams_colon_joined_form():
    assert MetricCacheKey.generate("h1", "host_cpu_usage", "mean", 300, 60) == (
        "h1:host_cpu_usage:mean:300:60")


def test_every_key_part_separates_values():
    cache = MetricDataCache()
    cache.put("h1", "host_cpu_usage", 10.0, aggregate="mean", period=300, granularity=300)
    assert cache.get("h1", "host_cpu_usage") == 10.0
    assert cache.get("h1", "host_cpu_usage", aggregate="max") is None
    assert cache.get("h1", "host_cpu_usage", period=600) is None
    assert cache.get("h1", "host_cpu_usage", granularity=60) is None
    assert cache.get("h2", "host_cpu_usage") is None


def test_a_missing_value_is_remembered_as_such():
    cache = MetricDataCache()
    assert not cache.has("h1", "host_power")
    cache.put("h1", "host_power", None)
    assert cache.has("h1", "host_power")
    assert cache.get("h1", "host_power") is None
    assert len(cache) == 1


def test_simulated_values_are_dropped_apart_from_fetched_ones():
    cache = MetricDataCache()
    cache.put("h1", "host_cpu_usage", 50.0)
    cache.put("h2", "host_cpu_usage", 70.0, simulated=True)
    assert cache.is_simulated("h2", "host_cpu_usage")
    assert not cache.is_simulated("h1", "host_cpu_usage")
    cache.clear_simulated()
    assert cache.get("h1", "host_cpu_usage") == 50.0
    assert not cache.has("h2", "host_cpu_usage")
    # A fetched value replacing a simulated one is no longer simulated.
    cache.put("h3", "host_cpu_usage", 1.0, simulated=True)
    cache.put_many({"h3": 2.0}, "host_cpu_usage", "mean", 300, 300)
    assert not cache.is_simulated("h3", "host_cpu_usage")


def test_remove_by_resource_or_meter():
    cache = MetricDataCache()
    cache.put("h1", "host_cpu_usage", 1.0)
    cache.put("h1", "host_ram_usage", 2.0)
    cache.put("h10", "host_cpu_usage", 3.0)
    cache.remove("h1", "host_cpu_usage")
    assert not cache.has("h1", "host_cpu_usage")
    assert cache.get("h1", "host_ram_usage") == 2.0
    cache.remove("h1")
    assert len(cache) == 1
    assert cache.get("h10", "host_cpu_usage") == 3.0
    cache.clear()
    assert len(cache) == 0
