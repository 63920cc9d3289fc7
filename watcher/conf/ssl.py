"""[ssl] options: the certificate of watcher-api when ``[api] enable_ssl_api`` is on.

Names and meaning as upstream (which took them from oslo.service's sslutils).
"""

from oslo_config import cfg

GROUP = cfg.OptGroup("ssl", title="TLS options of the API server")

OPTS = [
    cfg.StrOpt("ca_file", help="CA certificate file used to verify connecting clients."),
    cfg.StrOpt("cert_file", help="Certificate file used when starting the server securely."),
    cfg.StrOpt("key_file", help="Private key file used when starting the server securely."),
    cfg.StrOpt("version", help="Unused: the server negotiates the highest TLS version."),
    cfg.StrOpt("ciphers", help="Ciphers to offer, in OpenSSL cipher list format."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts() -> list:
    return [(GROUP, OPTS)]
