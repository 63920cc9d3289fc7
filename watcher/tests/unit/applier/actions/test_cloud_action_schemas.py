"""Input schemas, plugin names and descriptions of the cloud actions (upstream's contract)."""

import pytest

from watcher.applier.actions import (
    change_node_power_state,
    change_nova_service_state,
    migration,
    resize,
    stop,
    volume_migration,
)
from watcher.common import exception, loader

UUID = "73b09e16-35b7-4922-804e-e8f5d9b740fc"


def _validate(cls, params):
    action = cls()
    action.input_parameters = params
    return action.validate_parameters()


VALID = [
    (migration.Migrate, {"resource_id": UUID, "migration_type": "live", "source_node": "a",
                         "destination_node": "b", "resource_name": "vm"}),
    (migration.Migrate, {"resource_id": UUID, "migration_type": "cold", "source_node": "a",
                         "destination_node": None}),
    (migration.Migrate, {"resource_id": UUID, "migration_type": "cold", "source_node": "a"}),
    (resize.Resize, {"resource_id": UUID, "flavor": "m1.small"}),
    (stop.Stop, {"resource_id": UUID}),
    (change_nova_service_state.ChangeNovaServiceState,
     {"resource_id": UUID, "state": "disabled", "disabled_reason": "watcher_disabled",
      "resource_name": "cmp1"}),
    (change_nova_service_state.ChangeNovaServiceState, {"resource_id": "cmp1", "state": "up"}),
    (change_node_power_state.ChangeNodePowerState, {"resource_id": "abc123", "state": "off",
                                                    "resource_name": "cmp1"}),
    (volume_migration.VolumeMigrate, {"resource_id": UUID, "migration_type": "swap",
                                      "destination_node": "h@b#p", "destination_type": None}),
    (volume_migration.VolumeMigrate, {"resource_id": UUID, "migration_type": "retype",
                                      "destination_type": "ceph"}),
]

INVALID = [
    (migration.Migrate, {"resource_id": "not-a-uuid", "migration_type": "live",
                         "source_node": "a"}, "resource_id"),
    (migration.Migrate, {"resource_id": UUID, "migration_type": "warp", "source_node": "a"},
     "migration_type"),
    (migration.Migrate, {"resource_id": UUID, "migration_type": "live"}, "resource_id"),
    # base.validate_parameters names the field from the error's relative path, which an
    # anyOf branch leaves empty: only the rejection is checked here.
    (migration.Migrate, {"resource_id": UUID, "migration_type": "live", "source_node": "a",
                         "destination_node": ""}, None),
    (migration.Migrate, {"resource_id": UUID, "migration_type": "live", "source_node": "a",
                         "extra": 1}, "resource_id"),
    (resize.Resize, {"resource_id": UUID}, "resource_id"),
    (stop.Stop, {"resource_id": UUID, "force": True}, "resource_id"),
    (change_nova_service_state.ChangeNovaServiceState, {"resource_id": "x", "state": "gone"},
     "state"),
    (change_nova_service_state.ChangeNovaServiceState,
     {"resource_id": "x", "state": "disabled", "disabled_reason": ""}, "disabled_reason"),
    (change_node_power_state.ChangeNodePowerState, {"resource_id": "x", "state": "reboot"},
     "state"),
    (volume_migration.VolumeMigrate, {"resource_id": UUID, "migration_type": "copy"},
     "migration_type"),
]


@pytest.mark.parametrize(("cls", "params"), VALID)
def test_valid_parameters(cls, params):
    assert _validate(cls, params) is True


@pytest.mark.parametrize(("cls", "params", "field"), INVALID)
def test_invalid_parameters_name_the_field(cls, params, field):
    with pytest.raises(exception.InvalidParameter) as caught:
        _validate(cls, params)
    if field is not None:
        assert str(caught.value).startswith(field)


@pytest.mark.parametrize(("name", "cls", "description"), [
    ("migrate", migration.Migrate, "Moving a VM instance from source_node to destination_node"),
    ("resize", resize.Resize, "Resize a server with specified flavor."),
    ("stop", stop.Stop, "Stop a VM instance"),
    ("change_nova_service_state", change_nova_service_state.ChangeNovaServiceState,
     "Disables or enables the nova-compute service.A disabled nova-compute service can not be "
     "selected by the nova for future deployment of new server."),
    ("change_node_power_state", change_node_power_state.ChangeNodePowerState,
     "Compute node power on/off through Ironic or MaaS."),
    ("volume_migrate", volume_migration.VolumeMigrate,
     "Moving a volume to destination_node or destination_type"),
])
def test_entry_points_and_descriptions(name, cls, description):
    assert loader.load_class("watcher_actions", name) is cls
    assert cls.get_description() == description


def test_only_live_migrations_can_be_aborted():
    live, cold = migration.Migrate(), migration.Migrate()
    live.input_parameters = {"migration_type": "live"}
    cold.input_parameters = {"migration_type": "cold"}
    assert live.check_abort() is True
    assert cold.check_abort() is False
    assert stop.Stop().check_abort() is False
