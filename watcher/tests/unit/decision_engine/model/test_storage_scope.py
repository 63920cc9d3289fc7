"""Storage audit scope: zones, volume types, exclusions, wildcards, schema."""

import jsonschema
import pytest

from watcher.common import exception
from watcher.decision_engine.model.scope import storage as storage_scope
from watcher.tests.unit.decision_engine.model import storage_builders as b

P1, P2, P3 = "s1@lvm#p1", "s2@ceph#p2", "s3@ceph#p3"


def _model():
    return b.model(
        {
            "s1@lvm": {P1: (100, 50, [b.volume("v1"), b.volume("v2", project_id="p2")])},
            "s2@ceph": {P2: (100, 90, [b.volume("v3")])},
            "s3@ceph": {P3: (100, 100, [b.volume("v4", project_id="p2")])},
        },
        zones={"s1@lvm": "az1", "s2@ceph": "az2", "s3@ceph": "az2"},
        types={"gold": "lvm", "silver": "ceph"},
    )


def _scoped(rules):
    model = _model()
    scoped = storage_scope.get_scoped_model(model, [{"compute": []}, {"storage": rules}])
    return model, scoped


def test_no_storage_rules_keep_everything_in_a_copy():
    model = _model()
    scoped = storage_scope.get_scoped_model(model, [{"compute": [{"exclude": []}]}])
    assert scoped is not model
    assert sorted(scoped.get_all_volumes()) == ["v1", "v2", "v3", "v4"]


def test_zones_keep_the_matching_nodes_with_their_pools_and_volumes():
    model, scoped = _scoped([{"availability_zones": [{"name": "az2"}]}])
    assert sorted(scoped.get_all_storage_nodes()) == ["s2@ceph", "s3@ceph"]
    assert sorted(scoped.get_all_pools()) == [P2, P3]
    assert sorted(scoped.get_all_volumes()) == ["v3", "v4"]
    assert len(model.get_all_volumes()) == 4


def test_types_and_zones_add_up():
    _, scoped = _scoped(
        [{"volume_types": [{"name": "gold"}]}, {"availability_zones": [{"name": "nope"}]}]
    )
    assert sorted(scoped.get_all_storage_nodes()) == ["s1@lvm"]


def test_wildcard_keeps_all_and_cannot_be_mixed():
    _, scoped = _scoped([{"volume_types": [{"name": "*"}]}])
    assert len(scoped.get_all_storage_nodes()) == 3
    with pytest.raises(exception.WildcardCharacterIsUsed):
        _scoped([{"availability_zones": [{"name": "*"}, {"name": "az1"}]}])


def test_exclusions_remove_pools_volumes_and_projects():
    _, scoped = _scoped(
        [
            {
                "exclude": [
                    {"storage_pools": [{"name": P2}, {"name": "unknown@x#y"}]},
                    {"volumes": [{"uuid": "v1"}]},
                    {"projects": [{"uuid": "p2"}]},
                ]
            }
        ]
    )
    assert sorted(scoped.get_all_pools()) == [P1, P3]
    assert sorted(scoped.get_all_volumes()) == []
    assert scoped.get_pool_volumes(P3) == []


def test_schema_accepts_upstream_documents_and_refuses_unknown_rules():
    validator = jsonschema.Draft4Validator(storage_scope.SCHEMA)
    validator.validate(
        [
            {"availability_zones": [{"name": "az1"}]},
            {"volume_types": [{"name": "gold"}]},
            {"exclude": [{"storage_pools": [{"name": P1}]}, {"volumes": [{"uuid": "v"}]}]},
        ]
    )
    with pytest.raises(jsonschema.ValidationError):
        validator.validate([{"compute_nodes": [{"name": "x"}]}])
