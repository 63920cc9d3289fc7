"""Sphinx configuration for the Watcher documentation.

Everything that the code defines is rendered from the code: the option reference and a sample
watcher.conf (oslo_config), the policy reference and sample (oslo_policy), and one page per
installed goal and strategy (``_exts/watcher_plugins.py``, from the stevedore entry points). The
documentation cannot drift from the code, and ``sphinx-build -W`` keeps it free of warnings.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(HERE, "_exts"))

project = "Watcher"
copyright = "Watcher contributors"
extensions = [
    "oslo_config.sphinxext",
    "oslo_config.sphinxconfiggen",
    "oslo_policy.sphinxext",
    "oslo_policy.sphinxpolicygen",
    "watcher_plugins",
]

# Writes _static/watcher.conf.sample and _static/watcher.policy.yaml.sample at build time.
config_generator_config_file = os.path.join(
    ROOT, "etc", "watcher", "oslo-config-generator", "watcher.conf"
)
sample_config_basename = "_static/watcher"
policy_generator_config_file = os.path.join(
    ROOT, "etc", "watcher", "oslo-policy-generator", "watcher-policy-generator.conf"
)
sample_policy_basename = "_static/watcher"

source_suffix = ".rst"
master_doc = "index"
exclude_patterns = ["_build", "_exts"]
pygments_style = "sphinx"
html_theme = "alabaster"
html_static_path = ["_static"]
