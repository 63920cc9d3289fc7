"""Column types shared by the models and the migrations.

They live apart from the models so a migration never imports the models module (which
changes over time) and still creates exactly the types the models declare.
"""

import json

from sqlalchemy import types


class JsonEncodedType(types.TypeDecorator):
    """A JSON value stored as text, as upstream does (no native JSON type needed).

    ``None`` is stored as the empty container of the column's Python type, so readers always
    get a dict or a list back, matching upstream's behaviour.
    """

    impl = types.Text
    cache_ok = True
    python_container: type = dict

    def process_bind_param(self, value, dialect):
        if value is None:
            value = self.python_container()
        elif not isinstance(value, self.python_container):
            raise TypeError(
                f"{type(self).__name__} stores {self.python_container.__name__} values, "
                f"not {type(value).__name__}"
            )
        return json.dumps(value)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return json.loads(value)


class JSONEncodedDict(JsonEncodedType):
    python_container = dict


class JSONEncodedList(JsonEncodedType):
    python_container = list
