"""The microversions of API v1; ``rest_api_version_history.rst`` documents each."""

import enum

BASE_VERSION = 1


class VERSIONS(enum.IntEnum):
    MINOR_0_ROCKY = 0
    MINOR_1_START_END_TIMING = 1
    MINOR_2_FORCE = 2
    MINOR_3_DATAMODEL = 3
    MINOR_4_WEBHOOK_API = 4
    MINOR_5_SKIP_ACTION = 5
    MINOR_6_EXTENDED_ATTRS = 6
    MINOR_7_TEMPLATE_DEFAULT_PARAMETERS = 7
    MINOR_MAX_VERSION = 7


MIN_VERSION_STRING = f"{BASE_VERSION}.{VERSIONS.MINOR_0_ROCKY}"
MAX_VERSION_STRING = f"{BASE_VERSION}.{VERSIONS.MINOR_MAX_VERSION}"


def service_type_string() -> str:
    return "infra-optim"


def min_version_string() -> str:
    return MIN_VERSION_STRING


def max_version_string() -> str:
    return MAX_VERSION_STRING
