"""Request context carried from the API through RPC to the services."""

from oslo_context import context


class RequestContext(context.RequestContext):
    """oslo.context's context; ``show_deleted`` lets admins read soft-deleted rows."""

    def __init__(self, show_deleted: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.show_deleted = show_deleted

    def to_dict(self) -> dict:
        values = super().to_dict()
        values["show_deleted"] = self.show_deleted
        return values

    @classmethod
    def from_dict(cls, values: dict, **kwargs) -> "RequestContext":
        kwargs.setdefault("show_deleted", values.get("show_deleted", False))
        return super().from_dict(values, **kwargs)


def make_context(**kwargs) -> RequestContext:
    return RequestContext(**kwargs)


def get_admin_context(show_deleted: bool = False) -> RequestContext:
    """A context for the services' own work and for the API's no-auth mode."""
    return RequestContext(
        is_admin=True, roles=["admin"], show_deleted=show_deleted, overwrite=False
    )
