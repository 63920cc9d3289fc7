"""Translation markers (oslo.i18n), so messages can be translated like upstream's."""

import oslo_i18n

DOMAIN = "watcher"

_translators = oslo_i18n.TranslatorFactory(domain=DOMAIN)

_ = _translators.primary
