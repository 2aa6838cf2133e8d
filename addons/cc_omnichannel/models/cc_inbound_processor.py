import json
import logging
from urllib.parse import parse_qs

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..tools import payloads, signatures

_logger = logging.getLogger(__name__)

# The request headers kept with each payload: what was used to verify it, and what helps to debug it.
KEPT_HEADERS = (
    "Content-Type",
    "User-Agent",
    "X-Twilio-Signature",
    "I-Twilio-Idempotency-Token",
    "X-Hub-Signature-256",
    "X-Telegram-Bot-Api-Secret-Token",
    "X-CC-Signature",
)

# Twilio call statuses to our interaction states, and the timestamp each one sets.
CALL_STATES = {
    "ringing": ("queued", "queued_at"),
    "in_progress": ("in_progress", "answered_at"),
    "completed": ("done", "ended_at"),
    "busy": ("missed", "ended_at"),
    "no_answer": ("missed", "ended_at"),
    "canceled": ("missed", "ended_at"),
    "failed": ("failed", "ended_at"),
}

HELPDESK_CHANNEL_XMLIDS = {
    "voice": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "sms": "helpdesk_mgmt.helpdesk_ticket_channel_phone",
    "email": "helpdesk_mgmt.helpdesk_ticket_channel_email",
    "webform": "helpdesk_mgmt.helpdesk_ticket_channel_web",
}


class CcInboundProcessor(models.AbstractModel):
    """From a provider's HTTP request to interactions, customers, tickets and leads.

    Runs as superuser (the controller calls it with sudo()): a webhook acts for the provider, not for a
    user, and must reach every record the rules of the channel name. Nothing here trusts a request before
    its signature has been checked.
    """

    _name = "cc.inbound.processor"
    _description = "Contact Center Inbound Processing"

    # --- HTTP entry point --------------------------------------------------------------------------

    @api.model
    @api.private
    def receive(self, route, request_data):
        """Store, verify and parse one webhook request, queue its processing; return (HTTP status, response text).

        `route`: the channel's cc.channel.InboundRoute. `request_data`: method, url (as the provider signed it),
        headers (dict, lower-case names), body (bytes). A bad signature answers 403 and a malformed body 400,
        both kept as `rejected`. A body that parses is answered at once and processed by the channel's queue
        job (cc.channel._process_received_payloads): the provider never waits for tickets and routing, and a
        failure leaves the payload `failed`, visible and replayable.
        """
        _event, status, text = self._accept(route, request_data)
        if status == 200:
            self.env["cc.channel"].browse(route.channel_id)._queue_payload_job()
        return status, text

    @api.model
    def _accept(self, route, request_data):
        """Store the request, then check its signature and its body: (stored event, HTTP status, text)."""
        event = self.env["cc.webhook.event"]._insert_received(self._event_vals(route, request_data))
        if not self._signature_ok(route, request_data):
            event.write({"state": "rejected", "error": "missing or invalid signature"})
            return event, 403, "invalid signature"
        try:
            self._parse(route.provider, route.channel_type, request_data["body"])
        except payloads.PayloadError as error:
            event.write({"state": "rejected", "error": str(error)})
            return event, 400, str(error)
        return event, 200, "ok"

    @api.model
    @api.private
    def receive_internal(self, channel, document):
        """Store and queue a contact that an Odoo app saw itself (the live chat bridge): nothing to verify,
        then the webhooks' own pipeline. `document` is one event in the generic webhook format."""
        event = self.env["cc.webhook.event"].create(
            {
                "channel_id": channel.id,
                "provider": channel.provider,
                "content_type": "application/json",
                "body": json.dumps(document, sort_keys=True),
            }
        )
        channel.with_company(channel.company_id)._queue_payload_job()
        return event

    def _event_vals(self, route, request_data):
        received = request_data["headers"]
        headers = {name: received[name.lower()] for name in KEPT_HEADERS if received.get(name.lower())}
        return {
            "channel_id": route.channel_id,
            "company_id": route.company_id,
            "provider": route.provider,
            "http_method": request_data["method"],
            "url": request_data["url"],
            "content_type": received.get("content-type", ""),
            "headers": json.dumps(headers, indent=1, sort_keys=True),
            "body": request_data["body"].decode("utf-8", errors="replace"),
        }

    def _signature_ok(self, route, request_data):
        secret = route.signing_secret
        headers = request_data["headers"]
        body = request_data["body"]
        if route.provider == "twilio":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            return signatures.verify_twilio(request_data["url"], form, secret, headers.get("x-twilio-signature"))
        if route.provider == "meta":
            return signatures.verify_meta(body, secret, headers.get("x-hub-signature-256"))
        if route.provider == "telegram":
            return signatures.verify_telegram(secret, headers.get("x-telegram-bot-api-secret-token"))
        if route.provider == "generic":
            return signatures.verify_generic(body, secret, headers.get("x-cc-signature"))
        return False

    @api.model
    def _parse(self, provider, channel_type, body):
        """The provider-neutral events of a raw body; raises payloads.PayloadError when malformed."""
        if provider == "twilio":
            form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if channel_type == "voice":
                return payloads.parse_twilio_call(form)
            return payloads.parse_twilio_message(form)
        document = payloads.load_json(body)
        if provider == "meta":
            return payloads.parse_meta(document)
        if provider == "telegram":
            return payloads.parse_telegram(document)
        return payloads.parse_generic(document)

    # --- processing ---------------------------------------------------------------------------------

    @api.model
    @api.private
    def process_event(self, event):
        """Turn a stored payload into records; on failure, roll back its effects and record the error."""
        vals = {"attempts": event.attempts + 1, "processed_at": fields.Datetime.now()}
        try:
            with self.env.cr.savepoint():
                channel = event.channel_id
                for inbound in self._parse(channel.provider, channel.channel_type, event.body.encode()):
                    self._apply(channel, inbound, event)
        except (*PG_CONCURRENCY_EXCEPTIONS_TO_RETRY, errors.UniqueViolation) as error:
            # Another worker wrote the same rows (the same customer's identity, an agent's turn, a redelivery):
            # the caller runs it again (a later job, or Odoo the RPC) and sees what the other committed.
            raise ConcurrencyError(str(error)) from error
        except Exception as error:  # any other failure must leave the payload visible, not lost
            _logger.warning("Inbound payload %s failed: %s", event.id, error, exc_info=True)
            event.write({**vals, "state": "failed", "error": f"{type(error).__name__}: {error}"})
            return False
        event.write({**vals, "state": "processed", "error": False})
        return True

    def _apply(self, channel, inbound, event):
        if inbound.kind == "status":
            return self._apply_status(channel, inbound)
        existing = self.env["cc.interaction"].search(
            [("channel_id", "=", channel.id), ("external_id", "=", inbound.external_id)], limit=1
        )
        if inbound.kind == "call":
            return self._apply_call(channel, inbound, event, existing)
        if existing:
            return existing  # the provider delivered this message again
        return self._receive_contact(channel, inbound, event, {"state": "new"})

    def _apply_status(self, channel, inbound):
        """A delivery report on a message we sent."""
        interaction = self.env["cc.interaction"].search(
            [
                ("channel_id", "=", channel.id),
                ("external_id", "=", inbound.external_id),
                ("direction", "=", "outbound"),
            ],
            limit=1,
        )
        if not interaction:
            return interaction
        vals = {"delivery_status": inbound.status}
        if inbound.status == "failed":
            vals.update(state="failed", error=inbound.error or "the provider reported the message as failed")
            if interaction.ticket_id:
                interaction.ticket_id.cc_reply_error = vals["error"]
        interaction.write(vals)
        return interaction

    def _apply_call(self, channel, inbound, event, existing):
        """A call status callback: the first one creates the contact, the next ones move it on."""
        state, stamp_field = CALL_STATES[inbound.status]
        moment = inbound.occurred_at or fields.Datetime.now()
        vals = {"state": state, stamp_field: moment}
        if inbound.talk_seconds is not None:
            vals["talk_seconds"] = inbound.talk_seconds
        if inbound.wait_seconds is not None:
            vals["wait_seconds"] = inbound.wait_seconds
        if not existing:
            return self._receive_contact(channel, inbound, event, vals)
        if state in ("in_progress", "missed") and inbound.wait_seconds is None and not existing.answered_at:
            vals["wait_seconds"] = max(0, int((moment - existing.received_at).total_seconds()))
        if existing.state in ("done", "missed", "failed") and state in ("queued", "in_progress"):
            return existing  # a late, out-of-order callback must not reopen a finished call
        existing.write(vals)
        return existing

    def _receive_contact(self, channel, inbound, event, vals):
        """A new inbound contact: find the customer, apply the channel's rule, route it."""
        partner = self.env["cc.identity"].resolve_partner(
            inbound.address_kind, inbound.address, channel.company_id, inbound.display_name
        )
        received_at = inbound.occurred_at or fields.Datetime.now()
        interaction = self.env["cc.interaction"].create(
            {
                "channel_id": channel.id,
                "direction": "inbound",
                "partner_id": partner.id,
                "address": inbound.address,
                "external_id": inbound.external_id,
                "body": inbound.body,
                "media_urls": "\n".join(inbound.media_urls) or False,
                "received_at": received_at,
                "team_id": channel.team_id.id,
                "webhook_event_id": event.id,
                **vals,
            }
        )
        if channel.inbound_creates == "ticket":
            self._attach_to_ticket(channel, interaction)
        elif channel.inbound_creates == "lead":
            self._attach_to_lead(channel, interaction)
        self.env["cc.upsell.rule"].evaluate("inbound", partner, channel.company_id, interaction=interaction)
        return interaction

    def _attach_to_ticket(self, channel, interaction):
        tickets = self.env["helpdesk.ticket"]
        ticket = tickets.cc_find_thread(interaction.partner_id, channel.company_id, channel.thread_window_hours)
        if ticket:
            message = ticket.with_context(cc_inbound=True).message_post(
                body=interaction.body or self.env._("%(channel)s contact", channel=channel.name),
                author_id=interaction.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            ticket.cc_last_contact_at = interaction.received_at
            interaction.write(
                {
                    **self._queued_vals(interaction),
                    "ticket_id": ticket.id,
                    "team_id": ticket.team_id.id,
                    "user_id": ticket.user_id.id,
                    "message_id": message.id,
                }
            )
            return ticket
        agent = self.env["cc.agent"].pick_for_team(channel.team_id)
        ticket = tickets.with_context(cc_inbound=True, mail_create_nolog=True).create(
            {
                "name": self._ticket_title(channel, interaction),
                "description": interaction.body or False,
                "partner_id": interaction.partner_id.id,
                "partner_name": interaction.partner_id.name,
                "partner_email": interaction.partner_id.email,
                "team_id": channel.team_id.id,
                "user_id": agent.user_id.id,
                "company_id": channel.company_id.id,
                "channel_id": self._helpdesk_channel(channel).id,
                "cc_channel_id": channel.id,
                "cc_last_contact_at": interaction.received_at,
            }
        )
        interaction.write({**self._queued_vals(interaction), "ticket_id": ticket.id, "user_id": agent.user_id.id})
        return ticket

    def _queued_vals(self, interaction):
        """A new contact joins its agent's (or its team's) queue; a call keeps the state its callback gave."""
        if interaction.state != "new":
            return {}
        return {"state": "queued", "queued_at": interaction.queued_at or fields.Datetime.now()}

    def _attach_to_lead(self, channel, interaction):
        lead = (
            self.env["crm.lead"]
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "name": self._ticket_title(channel, interaction),
                    "type": "lead",
                    "partner_id": interaction.partner_id.id,
                    "description": interaction.body or False,
                    "team_id": channel.crm_team_id.id,
                    "company_id": channel.company_id.id,
                }
            )
        )
        interaction.lead_id = lead
        return lead

    def _ticket_title(self, channel, interaction):
        first_line = (interaction.body or "").strip().split("\n", 1)[0][:80]
        if first_line:
            return first_line
        return self.env._(
            "%(channel)s contact from %(customer)s",
            channel=channel.name,
            customer=interaction.partner_id.name or interaction.address,
        )

    def _helpdesk_channel(self, channel):
        xmlid = HELPDESK_CHANNEL_XMLIDS.get(channel.channel_type, "helpdesk_mgmt.helpdesk_ticket_channel_other")
        return self.env.ref(xmlid, raise_if_not_found=False) or self.env["helpdesk.ticket.channel"]
