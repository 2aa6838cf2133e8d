from odoo import http
from odoo.http import request


class BareRoute(http.Controller):
    """The webhook route's framework cost and nothing else: the same decorator (public, POST, no CSRF, no
    session; read/write, so Odoo opens the read/write transaction and commits it), an empty body of work."""

    @http.route("/cc_bench/bare", type="http", auth="public", methods=["POST"], csrf=False, save_session=False)
    def bare(self, **_params):
        return request.make_response("ok", headers=[("Content-Type", "text/plain")])
