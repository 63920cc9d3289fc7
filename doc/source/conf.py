"""Sphinx configuration for the Watcher documentation.

oslo_config's extensions render the option reference and a sample watcher.conf straight from
the registered options, so the documentation cannot drift from the code.
"""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

project = "Watcher"
copyright = "Watcher contributors"
extensions = [
    "sphinx.ext.autodoc",
    "oslo_config.sphinxext",
    "oslo_config.sphinxconfiggen",
]

# Writes _static/watcher.conf.sample at build time from the generator's namespaces.
config_generator_config_file = os.path.join(
    ROOT, "etc", "watcher", "oslo-config-generator", "watcher.conf"
)
sample_config_basename = "_static/watcher"

source_suffix = ".rst"
master_doc = "index"
exclude_patterns = ["_build"]
pygments_style = "sphinx"
html_theme = "alabaster"
html_static_path = ["_static"]
