"""Extra gabbi assertion: ``response_forbidden_json_paths`` lists JSONPaths that must not
match anything (a field that a microversion hides, a filtered-out item)."""

from __future__ import annotations

import json

import jsonpath_ng.ext
from gabbi.handlers import base


class ForbiddenJSONPathsHandler(base.ResponseHandler):
    test_key_suffix = "forbidden_json_paths"
    test_key_value = []

    def action(self, test, path, value=None):
        document = json.loads(test.output) if test.output else None
        expression = jsonpath_ng.ext.parse(test.replace_template(path))
        matches = [match.value for match in expression.find(document)]
        test.assertEqual([], matches, f"JSONPath {path} unexpectedly matched {matches}")
