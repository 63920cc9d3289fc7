"""Tokens issued by the simulated Keystone and checked by every simulated API."""

import datetime
import secrets
import threading
import time

from watcher.simulator.records import User

TOKEN_LIFETIME = 3600.0


class Token:
    __slots__ = ("id", "user", "project_id", "roles", "issued_at", "expires_at", "methods",
                 "audit_id")

    def __init__(self, user: User, project_id: str | None, roles: list[str]) -> None:
        self.id = "gAAAAA" + secrets.token_urlsafe(48)
        self.user = user
        self.project_id = project_id
        self.roles = roles
        # Wall-clock times: clients compare expiry with their own clock, not the simulator's.
        self.issued_at = time.time()
        self.expires_at = self.issued_at + TOKEN_LIFETIME
        self.methods = ["password"]
        self.audit_id = secrets.token_urlsafe(16)[:22]

    @property
    def expired(self) -> bool:
        return time.time() >= self.expires_at


def keystone_time(stamp: float) -> str:
    moment = datetime.datetime.fromtimestamp(stamp, tz=datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "000Z"


class Identity:
    def __init__(self, state) -> None:
        self.state = state
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def authenticate(self, user: User, password: str, project_id: str | None) -> Token | None:
        """Password check plus scope; None when either is wrong."""
        if not user.enabled or not secrets.compare_digest(user.password, password):
            return None
        if project_id is not None and project_id not in user.roles:
            return None
        roles = user.roles.get(project_id, []) if project_id else []
        token = Token(user, project_id, roles)
        with self._lock:
            self._tokens[token.id] = token
        return token

    def validate(self, token_id: str | None) -> Token | None:
        if not token_id:
            return None
        token = self._tokens.get(token_id)
        if token is None or token.expired:
            return None
        return token

    def revoke(self, token_id: str) -> bool:
        with self._lock:
            return self._tokens.pop(token_id, None) is not None
