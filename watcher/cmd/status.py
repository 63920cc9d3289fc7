"""``watcher-status upgrade check``: readiness checks an operator runs before upgrading."""

import sys

from oslo_upgradecheck import common_checks, upgradecheck

from watcher._i18n import _
from watcher.conf import CONF, nova


class Checks(upgradecheck.UpgradeCommands):
    """Each check returns an upgradecheck.Result; the command exits with the worst code."""

    def _minimum_nova_api_version(self) -> upgradecheck.Result:
        # The option type refuses malformed versions and versions below
        # nova.MIN_NOVA_API_VERSION when the value is read; report that as a failed check
        # rather than a crash so the operator sees which option to fix.
        try:
            CONF.nova.api_version  # noqa: B018 - reading runs the validation
        except ValueError as exc:
            return upgradecheck.Result(
                upgradecheck.Code.FAILURE,
                _("[nova] api_version must be a microversion >= %(minimum)s: %(error)s")
                % {"minimum": nova.MIN_NOVA_API_VERSION, "error": exc},
            )
        return upgradecheck.Result(upgradecheck.Code.SUCCESS)

    _upgrade_checks = (
        (_("Minimum Nova API Version"), _minimum_nova_api_version),
        (
            _("Policy File JSON to YAML Migration"),
            (common_checks.check_policy_json, {"conf": CONF}),
        ),
    )


def main() -> int:
    return upgradecheck.main(CONF, project="watcher", upgrade_command=Checks(), argv=sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
