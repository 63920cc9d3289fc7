"""Configuration: one module per option group, all registered on the global CONF here.

Every module in this package exposes ``register_opts(conf)`` and ``list_opts()``; the
second feeds ``watcher.conf.opts.list_opts`` and so oslo-config-generator.
"""

from oslo_config import cfg

from watcher.conf import api
from watcher.conf import database
from watcher.conf import default

CONF = cfg.CONF

MODULES = (default, api, database)

for _module in MODULES:
    _module.register_opts(CONF)
