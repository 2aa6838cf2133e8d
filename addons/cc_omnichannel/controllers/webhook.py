from urllib.parse import urlencode

from odoo import http
from odoo.http import request

from ..tools.signatures import verify_meta_handshake


class CcWebhookController(http.Controller):
    """Provider webhooks: /cc/webhook/<provider>/<token>, one URL per channel."""

    @staticmethod
    def _route(provider, token):
        # sudo: the caller is a provider, not a user; the unguessable token is what identifies the channel.
        return request.env["cc.channel"].sudo()._inbound_route(provider, token)

    @staticmethod
    def _raw_body(httprequest):
        """The request body; a form body was already parsed by Odoo's dispatcher, so re-encode its fields,
        in the order they came (Twilio signs the fields, not their encoding)."""
        if httprequest.form:
            return urlencode(list(httprequest.form.items(multi=True))).encode()
        return httprequest.get_data(cache=True)

    @http.route(
        "/cc/webhook/<string:provider>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def verify_subscription(self, provider, token, **params):
        """Meta's subscription handshake: echo hub.challenge when hub.verify_token is the channel's."""
        route = self._route(provider, token)
        if not route or provider != "meta":
            return request.make_response("not found", status=404)
        if params.get("hub.mode") == "subscribe" and verify_meta_handshake(
            route.verify_token, params.get("hub.verify_token")
        ):
            return request.make_response(params.get("hub.challenge", ""), headers=[("Content-Type", "text/plain")])
        return request.make_response("forbidden", status=403)

    @http.route(
        "/cc/webhook/<string:provider>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def receive(self, provider, token, **_params):
        route = self._route(provider, token)
        if not route:
            return request.make_response("not found", status=404)
        httprequest = request.httprequest
        # Providers sign the URL they were given: the channel's public URL, not whatever Host we saw.
        url = request.env["cc.channel"]._webhook_url(provider, token)
        if httprequest.query_string:
            url = f"{url}?{httprequest.query_string.decode()}"
        # sudo: see cc.inbound.processor. with_company: the payload and its job belong to the channel's company
        # (and env.company needs no read of the public user).
        status, text = (
            request.env["cc.inbound.processor"]
            .sudo()
            .with_company(route.company_id)
            .receive(
                route,
                {
                    "method": httprequest.method,
                    "url": url,
                    "headers": {name.lower(): value for name, value in httprequest.headers.items()},
                    "body": self._raw_body(httprequest),
                },
            )
        )
        return request.make_response(text, status=status, headers=[("Content-Type", "text/plain")])
