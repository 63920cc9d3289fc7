"""Audit scopes: cut a model snapshot down to what an audit may touch."""


def named_list(key: str) -> dict:
    """JSON schema of a scope list like ``[{"name": "az1"}, ...]`` keyed by ``key``."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {key: {"type": "string"}},
            "additionalProperties": False,
        },
    }
