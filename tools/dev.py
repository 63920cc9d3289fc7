#!/usr/bin/env python3
"""Developer entry point: bootstraps .venv from the project's own files, then runs a job.

    python3 tools/dev.py demo    simulator + all services in embedded mode, one audit, plan applied
    python3 tools/dev.py test    ruff, then the whole pytest suite
    python3 tools/dev.py docs    the Sphinx documentation, warnings as errors, into doc/build/html

Only the standard library is used here, so a machine with nothing but python3 can run it.
The virtualenv is rebuilt when requirements*.txt, setup.cfg or pyproject.toml change.
"""

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "bin")
STAMP = os.path.join(VENV, ".install-stamp")
INPUTS = ("requirements.txt", "test-requirements.txt", "setup.cfg", "pyproject.toml")
DOC_REQUIREMENTS = os.path.join("doc", "requirements.txt")
DOC_STAMP = os.path.join(VENV, ".docs-stamp")


def _inputs_digest(names: tuple[str, ...] = INPUTS) -> str:
    digest = hashlib.sha256()
    for name in names:
        with open(os.path.join(ROOT, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def ensure_venv() -> None:
    wanted = _inputs_digest()
    if os.path.exists(STAMP):
        with open(STAMP) as handle:
            if handle.read().strip() == wanted:
                return
    if not os.path.exists(os.path.join(BIN, "python")):
        print("[dev] creating virtualenv in .venv", flush=True)
        try:
            if importlib.util.find_spec("ensurepip") is None:
                raise OSError("no ensurepip module")
            venv.EnvBuilder(with_pip=True).create(VENV)
        except (OSError, subprocess.CalledProcessError) as exc:
            # Debian and Ubuntu ship venv's pip bootstrap in a package of their own (without
            # it ensurepip is missing or refuses to run).
            shutil.rmtree(VENV, ignore_errors=True)
            sys.exit(f"[dev] this python3 cannot create a virtualenv with pip ({exc}); on "
                     "Debian or Ubuntu: apt install python3-venv")
    pip = [os.path.join(BIN, "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    print("[dev] installing requirements (first run takes a minute)", flush=True)
    subprocess.check_call(pip + ["--upgrade", "pip", "setuptools", "wheel"], cwd=ROOT)
    # --no-compile: pip would byte-compile every installed module (more than half of the
    # install's time); Python compiles the ones a job imports on first use instead.
    subprocess.check_call(
        pip + ["--no-compile", "-r", "requirements.txt", "-r", "test-requirements.txt",
               "-e", "."], cwd=ROOT
    )
    with open(STAMP, "w") as handle:
        handle.write(wanted)


def ensure_doc_requirements() -> None:
    """Sphinx and its extensions, installed into .venv only for the docs job."""
    wanted = _inputs_digest(INPUTS + (DOC_REQUIREMENTS,))
    if os.path.exists(DOC_STAMP):
        with open(DOC_STAMP) as handle:
            if handle.read().strip() == wanted:
                return
    print("[dev] installing the documentation requirements", flush=True)
    subprocess.check_call(
        [os.path.join(BIN, "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--no-compile", "-r", DOC_REQUIREMENTS], cwd=ROOT)
    with open(DOC_STAMP, "w") as handle:
        handle.write(wanted)


def run(argv: list[str]) -> int:
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.call(argv, cwd=ROOT, env=env)


def main() -> int:
    job = sys.argv[1] if len(sys.argv) > 1 else "test"
    extra = sys.argv[2:]
    ensure_venv()
    python = os.path.join(BIN, "python")
    if job == "test":
        folders = ("watcher", "benchmarks", "tools")
        lint_paths = [p for p in folders if os.path.isdir(os.path.join(ROOT, p))]
        rc = run([python, "-m", "ruff", "check", *lint_paths])
        if rc:
            return rc
        rc = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + extra)
        # pytest's exit code 5 (nothing collected) stays non-zero: an empty run is a failure.
        return rc
    if job == "docs":
        ensure_doc_requirements()
        html = os.path.join("doc", "build", "html")
        rc = run([python, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
                  os.path.join("doc", "source"), html] + extra)
        if rc == 0:
            print(f"[dev] documentation: {os.path.join(ROOT, html, 'index.html')}")
        return rc
    if job == "demo":
        return run([python, "-m", "watcher.cmd.demo"] + extra)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
