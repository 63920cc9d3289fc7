"""Config files written for older Watcher releases keep working."""

import pytest
from oslo_config import cfg


def test_legacy_client_groups_still_load(load_conf):
    conf = load_conf(
        """
        [nova_client]
        api_version = 2.60
        endpoint_type = internalURL
        region_name = RegionTwo

        [cinder_client]
        region_name = RegionThree

        [placement_client]
        interface = internal
        region_name = RegionFour

        [keystone_client]
        interface = admin
        region_name = RegionFive
        """
    )
    assert conf.nova_client.endpoint_type == "internalURL"
    # the new keystoneauth groups read the legacy values through their aliases
    assert conf.nova.api_version == "2.60"
    assert conf.nova.region_name == "RegionTwo"
    assert conf.cinder.region_name == "RegionThree"
    assert conf.placement.region_name == "RegionFour"
    assert conf.placement.valid_interfaces == ["internal"]
    assert conf.keystone.region_name == "RegionFive"
    assert conf.keystone.valid_interfaces == ["admin"]


def test_new_group_wins_over_legacy_group(load_conf):
    conf = load_conf(
        """
        [nova_client]
        region_name = Old
        [nova]
        region_name = New
        """
    )
    assert conf.nova.region_name == "New"


def test_legacy_nova_api_version_is_validated_too(load_conf):
    conf = load_conf("[nova_client]\napi_version = 2.1\n")
    with pytest.raises(cfg.ConfigFileValueError):
        conf.nova["api_version"]


def test_renamed_retry_options_read_old_names(load_conf):
    conf = load_conf(
        """
        [collector]
        api_call_retries = 4
        api_query_timeout = 7

        [gnocchi_client]
        query_max_retries = 5
        query_timeout = 3
        """
    )
    assert conf.collector.api_query_max_retries == 4
    assert conf.collector.api_query_interval == 7
    assert conf.watcher_datasources.query_max_retries == 5
    assert conf.watcher_datasources.query_interval == 3


def test_old_datasources_query_timeout_name(load_conf):
    conf = load_conf("[watcher_datasources]\nquery_timeout = 9\n")
    assert conf.watcher_datasources.query_interval == 9
