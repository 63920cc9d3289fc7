"""Pinned object fingerprints: changing fields or remotable methods forces a version bump.

A failure here means an object's fields or remotable signatures changed. Bump that object's
VERSION (and teach obj_make_compatible/FIELDS_ADDED to backport), then update the hash below.
"""

from oslo_versionedobjects import fixture

import watcher.objects  # noqa: F401  (registers every object)
from watcher.objects import base

EXPECTED_FINGERPRINTS = {
    "Action": "2.1-c45892168e76785b35e05b614873b0bc",
    "ActionDescription": "1.0-1e90b8cba5dacad0044c37094cd27cdc",
    "ActionPlan": "2.3-c72f01422f48212e969e42ffe453f2d6",
    "Audit": "1.8-1aa32bc63a0f58ad1729dfde02810238",
    "AuditTemplate": "1.2-9b0f6203f2c7eb7ab9af71b4ffdef6c6",
    "EfficacyIndicator": "1.0-fb8a94cde8e7d287b5f3615d616574e4",
    "Goal": "1.0-2cf4434d5513730346e6327b9eeb59fa",
    "ScoringEngine": "1.0-cd9925d9ec76ca75231cdad9d78224a5",
    "Service": "1.0-10c044fe48f32e7ea12ae6fa62deab02",
    "Strategy": "1.1-6157613bf48440d532a2324d9def1ca4",
}


def _watcher_classes() -> dict:
    return {
        name: classes
        for name, classes in base.WatcherObjectRegistry.obj_classes().items()
        if classes[0].OBJ_PROJECT_NAMESPACE == base.WatcherObject.OBJ_PROJECT_NAMESPACE
        and name in EXPECTED_FINGERPRINTS
    }


def test_object_fingerprints_are_pinned():
    checker = fixture.ObjectVersionChecker(obj_classes=_watcher_classes())
    expected, actual = checker.test_hashes(EXPECTED_FINGERPRINTS)
    assert expected == actual, (
        "Object fields or remotable methods changed: bump VERSION and update the hashes"
    )


def test_every_persistent_object_is_pinned():
    persistent = {
        name
        for name, classes in base.WatcherObjectRegistry.obj_classes().items()
        if issubclass(classes[0], base.WatcherPersistentObject)
    }
    assert persistent == set(EXPECTED_FINGERPRINTS)
