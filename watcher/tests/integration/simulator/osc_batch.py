"""Run ``openstack`` commands in one long-lived interpreter.

Executed as a script (it does not import watcher). Each line on stdin is a JSON list of
argument lists; each is run through python-openstackclient's own entry point
(``openstackclient.shell.main``, what the ``openstack`` script calls) and the answer is one
JSON line on stdout: a list of ``{"rc", "stdout", "stderr"}``. Starting Python and loading
the client and its plugins once, not per command, keeps the acceptance test short.
"""

import contextlib
import io
import json
import sys

from openstackclient import shell


def run(argv: list[str]) -> dict:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = shell.main(argv)
        except SystemExit as exit_:
            rc = exit_.code if isinstance(exit_.code, int) else 1
    return {"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}


def main() -> None:
    for line in sys.stdin:
        results = [run(argv) for argv in json.loads(line)]
        sys.__stdout__.write(json.dumps(results) + "\n")
        sys.__stdout__.flush()


if __name__ == "__main__":
    main()
