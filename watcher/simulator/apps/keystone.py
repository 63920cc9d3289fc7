"""Keystone v3: password auth, token validation (as keystonemiddleware does it), the
catalog, and the domain/project/user/role lists."""

from watcher.simulator.identity import Token, keystone_time
from watcher.simulator.records import Project, User
from watcher.simulator.wsgi import HTTPError, ServiceApp, link

_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 409: "Conflict"}


class KeystoneApp(ServiceApp):
    name = "identity"
    prefix = "/identity"
    catalog = [("identity", "keystone", "/v3")]
    public_paths = (r"^/?$", r"^/v3/?$", r"^/v3/auth/tokens/?$")

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/", self.versions)
        add("GET", "/v3", self.version)
        add("POST", "/v3/auth/tokens", self.issue_token)
        add("GET", "/v3/auth/tokens", self.check_token)
        add("HEAD", "/v3/auth/tokens", self.check_token)
        add("DELETE", "/v3/auth/tokens", self.revoke_token)
        add("GET", "/v3/auth/catalog", self.auth_catalog)
        add("GET", "/v3/auth/projects", self.auth_projects)
        add("GET", "/v3/domains", self.list_domains)
        add("GET", "/v3/domains/{domain_id}", self.show_domain)
        add("GET", "/v3/projects", self.list_projects)
        add("GET", "/v3/projects/{project_id}", self.show_project)
        add("GET", "/v3/users", self.list_users)
        add("GET", "/v3/users/{user_id}", self.show_user)
        add("GET", "/v3/users/{user_id}/projects", self.user_projects)
        add("GET", "/v3/roles", self.list_roles)
        add("GET", "/v3/role_assignments", self.role_assignments)
        add("GET", "/v3/services", self.list_services)
        add("GET", "/v3/endpoints", self.list_endpoints)
        add("GET", "/v3/regions", self.list_regions)

    def error_body(self, status: int, message: str) -> dict:
        return {"error": {"code": status, "message": message,
                          "title": _TITLES.get(status, "Error")}}

    # -- discovery -----------------------------------------------------------------------------

    def _version(self, ctx) -> dict:
        return {
            "id": "v3.14", "status": "stable", "updated": "2020-04-07T00:00:00Z",
            "links": [link(ctx.base_url + "/v3/")],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.identity-v3+json"}],
        }

    def versions(self, ctx):
        return 300, {"versions": {"values": [self._version(ctx)]}}

    def version(self, ctx):
        return 200, {"version": self._version(ctx)}

    # -- tokens --------------------------------------------------------------------------------

    def issue_token(self, ctx):
        auth = ctx.json().get("auth")
        if not isinstance(auth, dict) or "identity" not in auth:
            raise HTTPError(400, "Expecting to find identity in auth.")
        identity = auth["identity"]
        methods = identity.get("methods", [])
        if "password" in methods:
            user = self._find_user(identity.get("password", {}).get("user", {}))
            password = identity["password"]["user"].get("password", "")
        elif "token" in methods:
            previous = self.sim.identity.validate(identity.get("token", {}).get("id"))
            if previous is None:
                raise HTTPError(401, "The request you have made requires authentication.")
            user, password = previous.user, previous.user.password
        else:
            raise HTTPError(401, "The request you have made requires authentication.")
        project_id = self._scope_project(auth.get("scope"), user)
        token = self.sim.identity.authenticate(user, password, project_id)
        if token is None:
            raise HTTPError(401, "The request you have made requires authentication.")
        body = self._token_body(token, "nocatalog" not in ctx.req.GET)
        return 201, body, {"X-Subject-Token": token.id}

    def _find_user(self, ref: dict) -> User:
        if "id" in ref:
            user = self.state.users.get(ref["id"])
        else:
            domain = self._domain_ref(ref.get("domain", {}))
            user = self.state.users_by_name.get(ref.get("name", ""))
            if user is not None and user.domain_id != domain:
                user = None
        if user is None:
            raise HTTPError(401, "The request you have made requires authentication.")
        return user

    def _domain_ref(self, ref: dict) -> str:
        if "id" in ref:
            return ref["id"]
        for domain in self.state.domains.values():
            if domain.name == ref.get("name"):
                return domain.id
        raise HTTPError(401, "The request you have made requires authentication.")

    def _scope_project(self, scope, user: User) -> str | None:
        if not scope:
            return user.default_project_id
        if "project" not in scope:
            raise HTTPError(401, "Only project scope is supported by the simulator.")
        ref = scope["project"]
        if "id" in ref:
            project = self.state.projects.get(ref["id"])
        else:
            project = self.state.projects_by_name.get(ref.get("name", ""))
            if project is not None and project.domain_id != self._domain_ref(
                    ref.get("domain", {})):
                project = None
        if project is None:
            raise HTTPError(401, "The request you have made requires authentication.")
        return project.id

    def _token_body(self, token: Token, with_catalog: bool) -> dict:
        user = token.user
        body = {
            "methods": token.methods,
            "user": {"id": user.id, "name": user.name, "password_expires_at": None,
                     "domain": self._domain_doc(user.domain_id)},
            "audit_ids": [token.audit_id],
            "expires_at": keystone_time(token.expires_at),
            "issued_at": keystone_time(token.issued_at),
        }
        if token.project_id:
            project = self.state.projects[token.project_id]
            body["project"] = {"id": project.id, "name": project.name,
                               "domain": self._domain_doc(project.domain_id)}
            body["is_domain"] = False
            body["roles"] = [{"id": self.state.role(r).id, "name": r} for r in token.roles]
            if with_catalog:
                body["catalog"] = self.sim.catalog(token.project_id)
        return {"token": body}

    def _domain_doc(self, domain_id: str) -> dict:
        return {"id": domain_id, "name": self.state.domains[domain_id].name}

    def _subject(self, ctx) -> Token:
        token = self.sim.identity.validate(ctx.req.headers.get("X-Subject-Token"))
        if token is None:
            raise HTTPError(404, "Could not find token: "
                                 f"{ctx.req.headers.get('X-Subject-Token')}.")
        return token

    def check_token(self, ctx):
        if ctx.token is None:
            raise HTTPError(401, "The request you have made requires authentication.")
        subject = self._subject(ctx)
        if ctx.req.method == "HEAD":
            return 200, None
        body = self._token_body(subject, "nocatalog" not in ctx.req.GET)
        return 200, body, {"X-Subject-Token": subject.id}

    def revoke_token(self, ctx):
        if ctx.token is None:
            raise HTTPError(401, "The request you have made requires authentication.")
        self.sim.identity.revoke(self._subject(ctx).id)
        return 204, None

    def auth_catalog(self, ctx):
        return 200, {"catalog": self.sim.catalog(ctx.project_id),
                     "links": {"self": ctx.req.url, "previous": None, "next": None}}

    def auth_projects(self, ctx):
        projects = [self.state.projects[p] for p in ctx.token.user.roles]
        return 200, self._collection(ctx, "projects", [self._project(p) for p in projects])

    # -- lists ---------------------------------------------------------------------------------

    def _collection(self, ctx, key: str, items: list) -> dict:
        return {key: items, "links": {"self": ctx.req.url, "previous": None, "next": None}}

    def _domain(self, ctx, domain) -> dict:
        return {"id": domain.id, "name": domain.name, "description": domain.description,
                "enabled": domain.enabled, "tags": [], "options": {},
                "links": {"self": f"{ctx.base_url}/v3/domains/{domain.id}"}}

    def list_domains(self, ctx):
        ctx.require_admin()
        name = ctx.query("name")
        found = [self._domain(ctx, d) for d in self.state.domains.values()
                 if name is None or d.name == name]
        return 200, self._collection(ctx, "domains", found)

    def show_domain(self, ctx, domain_id):
        domain = self.state.domains.get(domain_id)
        if domain is None:
            raise HTTPError(404, f"Could not find domain: {domain_id}.")
        return 200, {"domain": self._domain(ctx, domain)}

    def _project(self, project: Project) -> dict:
        return {"id": project.id, "name": project.name, "domain_id": project.domain_id,
                "description": project.description, "enabled": project.enabled,
                "parent_id": project.domain_id, "is_domain": False, "tags": [], "options": {},
                "links": {"self": f"{self.sim.auth_url}/projects/{project.id}"}}

    def list_projects(self, ctx):
        ctx.require_admin()
        name, domain = ctx.query("name"), ctx.query("domain_id")
        found = [self._project(p) for p in self.state.projects.values()
                 if (name is None or p.name == name) and (domain is None or
                                                          p.domain_id == domain)]
        return 200, self._collection(ctx, "projects", found)

    def show_project(self, ctx, project_id):
        project = self.state.projects.get(project_id)
        if project is None or not (ctx.is_admin or project_id in ctx.token.user.roles):
            raise HTTPError(404, f"Could not find project: {project_id}.")
        return 200, {"project": self._project(project)}

    def _user(self, user: User) -> dict:
        return {"id": user.id, "name": user.name, "domain_id": user.domain_id,
                "default_project_id": user.default_project_id, "enabled": user.enabled,
                "email": user.email, "password_expires_at": None, "options": {},
                "links": {"self": f"{self.sim.auth_url}/users/{user.id}"}}

    def list_users(self, ctx):
        ctx.require_admin()
        name = ctx.query("name")
        found = [self._user(u) for u in self.state.users.values()
                 if name is None or u.name == name]
        return 200, self._collection(ctx, "users", found)

    def show_user(self, ctx, user_id):
        user = self.state.users.get(user_id)
        if user is None or not (ctx.is_admin or user_id == ctx.token.user.id):
            raise HTTPError(404, f"Could not find user: {user_id}.")
        return 200, {"user": self._user(user)}

    def user_projects(self, ctx, user_id):
        user = self.state.users.get(user_id)
        if user is None or not (ctx.is_admin or user_id == ctx.token.user.id):
            raise HTTPError(404, f"Could not find user: {user_id}.")
        projects = [self._project(self.state.projects[p]) for p in user.roles]
        return 200, self._collection(ctx, "projects", projects)

    def list_roles(self, ctx):
        ctx.require_admin()
        roles = [{"id": r.id, "name": r.name, "domain_id": None, "description": None,
                  "options": {}, "links": {"self": f"{self.sim.auth_url}/roles/{r.id}"}}
                 for r in self.state.roles.values()]
        return 200, self._collection(ctx, "roles", roles)

    def role_assignments(self, ctx):
        ctx.require_admin()
        user_filter, project_filter = ctx.query("user.id"), ctx.query("scope.project.id")
        out = []
        for user in self.state.users.values():
            if user_filter and user.id != user_filter:
                continue
            for project_id, roles in user.roles.items():
                if project_filter and project_id != project_filter:
                    continue
                for role in roles:
                    out.append({"role": {"id": self.state.role(role).id},
                                "user": {"id": user.id},
                                "scope": {"project": {"id": project_id}},
                                "links": {"assignment": ctx.req.url}})
        return 200, self._collection(ctx, "role_assignments", out)

    def list_services(self, ctx):
        services = [{"id": s["id"], "type": s["type"], "name": s["name"], "enabled": True,
                     "description": "", "links": {"self": ""}}
                    for s in self.sim.catalog(ctx.project_id)]
        return 200, self._collection(ctx, "services", services)

    def list_endpoints(self, ctx):
        endpoints = []
        for service in self.sim.catalog(ctx.project_id):
            for endpoint in service["endpoints"]:
                endpoints.append({**endpoint, "service_id": service["id"], "enabled": True,
                                  "links": {"self": ""}})
        return 200, self._collection(ctx, "endpoints", endpoints)

    def list_regions(self, ctx):
        region = {"id": self.state.region, "description": "", "parent_region_id": None,
                  "links": {"self": ""}}
        return 200, self._collection(ctx, "regions", [region])
