import secrets
from datetime import timedelta
from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, ValidationError
from odoo.tools import SQL, ormcache

from ..tools.samples import sample_request

CHANNEL_TYPES = [
    ("voice", "Voice"),
    ("sms", "SMS"),
    ("whatsapp", "WhatsApp"),
    ("email", "Email"),
    ("livechat", "Live Chat"),
    ("facebook", "Facebook Messenger"),
    ("instagram", "Instagram"),
    ("telegram", "Telegram"),
    ("webform", "Web Form"),
]

PROVIDERS = [
    ("twilio", "Twilio"),
    ("meta", "Meta (WhatsApp Cloud, Messenger, Instagram)"),
    ("telegram", "Telegram Bot API"),
    ("odoo_mail", "Odoo Mail Gateway"),
    ("odoo_livechat", "Odoo Live Chat"),
    ("generic", "Generic JSON Webhook"),
]

PROVIDER_CHANNEL_TYPES = {
    "twilio": {"voice", "sms", "whatsapp"},
    "meta": {"whatsapp", "facebook", "instagram"},
    "telegram": {"telegram"},
    "odoo_mail": {"email"},
    "odoo_livechat": {"livechat"},
    "generic": {code for code, _label in CHANNEL_TYPES},
}

DEFAULT_API_BASE_URLS = {
    "twilio": "https://api.twilio.com",
    "meta": "https://graph.facebook.com/v21.0",
    "telegram": "https://api.telegram.org",
}

MANAGERS = "cc_omnichannel.group_cc_manager"


# A job processes at most this many payloads of its channel in one transaction, then queues the next job:
# short transactions keep agents' and other jobs' writes from waiting on it.
PAYLOADS_PER_JOB = 20
# After a write conflict, the job that continues starts this many seconds later, with a fresh snapshot.
CONFLICT_RETRY_SECONDS = 2
# Payloads left received this long (their job lost, or a job that had just started) are queued again by cron.
STRANDED_AFTER = timedelta(minutes=1)


def new_webhook_token():
    return secrets.token_urlsafe(24)


ROUTE_FIELDS = {"active", "webhook_token", "company_id", "provider", "channel_type", "signing_secret", "verify_token"}


class InboundRoute(NamedTuple):
    """What a webhook request needs of the channel its URL names, as plain values (see _inbound_route)."""

    channel_id: int
    company_id: int
    provider: str
    channel_type: str
    signing_secret: str
    verify_token: str


class _DryRunDone(Exception):
    """Raised to undo a dry run once its outcome is read."""


class CcChannel(models.Model):
    _name = "cc.channel"
    _description = "Contact Center Channel"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    channel_type = fields.Selection(CHANNEL_TYPES, required=True, tracking=True)
    provider = fields.Selection(PROVIDERS, required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Helpdesk Team",
        check_company=True,
        tracking=True,
        help="Team that receives this channel's tickets and routes them to its agents.",
    )
    inbound_creates = fields.Selection(
        [("ticket", "Helpdesk ticket"), ("lead", "CRM lead"), ("interaction", "Interaction only")],
        string="Inbound Contact Creates",
        required=True,
        default="ticket",
        tracking=True,
    )
    thread_window_hours = fields.Integer(
        string="Threading Window (hours)",
        default=72,
        help="A contact from a customer who has a ticket open and active within this window is added to "
        "that ticket, whatever channel it came from, instead of opening a new one. 0 always opens a new one.",
    )
    crm_team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    interaction_ids = fields.One2many("cc.interaction", "channel_id")
    interaction_count = fields.Integer(compute="_compute_interaction_count")
    failed_event_count = fields.Integer(compute="_compute_failed_event_count")

    webhook_token = fields.Char(copy=False, default=lambda self: new_webhook_token(), groups=MANAGERS, required=True)
    webhook_url = fields.Char(compute="_compute_webhook_url", groups=MANAGERS)
    signing_secret = fields.Char(
        groups=MANAGERS,
        copy=False,
        help="What inbound requests are verified with: Twilio auth token, Meta app secret, "
        "Telegram secret token, or the HMAC key of the generic webhook.",
    )
    verify_token = fields.Char(groups=MANAGERS, copy=False, help="Meta's webhook verification token.")
    api_account = fields.Char(
        string="API Account", groups=MANAGERS, help="Twilio account SID; unused for Meta and Telegram."
    )
    api_token = fields.Char(
        string="API Token",
        groups=MANAGERS,
        copy=False,
        help="Twilio auth token, Meta access token or Telegram bot token, used to send replies.",
    )
    sender_id = fields.Char(
        string="Sender", help="Twilio from number (whatsapp:+1… for WhatsApp), or Meta phone number id."
    )
    api_base_url = fields.Char(
        string="API Base URL",
        groups=MANAGERS,
        help="Leave empty for the provider's own API; set it to reach a sandbox or a test server.",
    )

    _webhook_token_unique = models.Constraint("UNIQUE(webhook_token)", "A webhook token must be unique.")
    _thread_window_positive = models.Constraint(
        "CHECK(thread_window_hours >= 0)", "The threading window cannot be negative."
    )

    @api.constrains("provider", "channel_type")
    def _check_provider_channel_type(self):
        for channel in self:
            if channel.channel_type not in PROVIDER_CHANNEL_TYPES[channel.provider]:
                raise ValidationError(
                    self.env._(
                        "%(provider)s cannot carry %(type)s contacts.",
                        provider=dict(PROVIDERS)[channel.provider],
                        type=dict(CHANNEL_TYPES)[channel.channel_type],
                    )
                )

    @api.depends("provider", "webhook_token")
    def _compute_webhook_url(self):
        for channel in self:
            channel.webhook_url = channel._webhook_url(channel.provider, channel.webhook_token)

    def _webhook_url(self, provider, token):
        """The absolute URL of a webhook, as the provider is given it (and signs it)."""
        return f"{self.get_base_url()}/cc/webhook/{provider}/{token}"

    @api.model
    @ormcache("provider", "token")
    def _inbound_route(self, provider, token):
        """The active channel a webhook URL names, or None; cached in each worker, so that a webhook reads
        no channel row. Any change to a channel clears the cache (create, write, unlink)."""
        channel = self.sudo().search_fetch(
            [("webhook_token", "=", token), ("provider", "=", provider), ("active", "=", True)],
            ["company_id", "provider", "channel_type", "signing_secret", "verify_token"],
            limit=1,
        )
        return channel._as_route() if channel else None

    def _as_route(self):
        self.ensure_one()
        return InboundRoute(
            self.id,
            self.company_id.id,
            self.provider,
            self.channel_type,
            self.signing_secret or "",
            self.verify_token or "",
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # _inbound_route
        return super().create(vals_list)

    def write(self, vals):
        if ROUTE_FIELDS.intersection(vals):
            self.env.registry.clear_cache()  # _inbound_route
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()  # _inbound_route
        return super().unlink()

    def _compute_interaction_count(self):
        counts = dict(
            self.env["cc.interaction"]._read_group([("channel_id", "in", self.ids)], ["channel_id"], ["__count"])
        )
        for channel in self:
            channel.interaction_count = counts.get(channel, 0)

    def _compute_failed_event_count(self):
        counts = dict(
            self.env["cc.webhook.event"]._read_group(
                [("channel_id", "in", self.ids), ("state", "=", "failed")], ["channel_id"], ["__count"]
            )
        )
        for channel in self:
            channel.failed_event_count = counts.get(channel, 0)

    # --- processing the stored payloads (queue_job) -------------------------------------------------------

    def _queue_payload_job(self, eta=None):
        """Make sure a job will process this channel's received payloads: queue one unless one is waiting
        to start. A job that starts before this transaction commits misses its payload; the next webhook's
        job or the cron (_cron_queue_stranded_payloads) takes it."""
        self.ensure_one()
        identity_key = f"cc.channel({self.id})._process_received_payloads"
        # queue_job's own check (with_delay(identity_key=...)) first builds the whole job: about 1 ms more per
        # webhook (benchmarks/README.md). This is the same query, on queue_job's partial index.
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM queue_job WHERE identity_key = %s"
                " AND state IN ('wait_dependencies', 'pending', 'enqueued') LIMIT 1",
                identity_key,
            )
        )
        if self.env.cr.rowcount:
            return
        self.with_delay(
            identity_key=identity_key, eta=eta, description=f"Inbound payloads of {self.name}"
        )._process_received_payloads()

    def _process_received_payloads(self):
        """The queue job of the channel's inbound payloads: the oldest received ones, PAYLOADS_PER_JOB at
        most, each in a savepoint of its own; the next job is queued when some may be left."""
        self.ensure_one()
        events = self.env["cc.webhook.event"]._claim_received(self, PAYLOADS_PER_JOB)
        processor = self.env["cc.inbound.processor"]
        for event in events:
            try:
                processor.process_event(event)
            except ConcurrencyError as error:
                # Another transaction wrote the same rows (the customer's identity, an agent's turn). This
                # job's snapshot cannot see what it committed, a later job's can: the rest waits for that one.
                event._note_conflict(error)
                self._queue_payload_job(eta=CONFLICT_RETRY_SECONDS)
                return
        if len(events) == PAYLOADS_PER_JOB:
            self._queue_payload_job()

    @api.model
    def _cron_queue_stranded_payloads(self):
        """Queue a job for each channel that has payloads received over STRANDED_AFTER ago."""
        stranded = self.env["cc.webhook.event"]._read_group(
            [("state", "=", "received"), ("received_at", "<", fields.Datetime.now() - STRANDED_AFTER)],
            ["channel_id"],
        )
        for (channel,) in stranded:
            channel.with_company(channel.company_id)._queue_payload_job()

    def effective_api_base_url(self):
        self.ensure_one()
        return (self.api_base_url or DEFAULT_API_BASE_URLS.get(self.provider, "")).rstrip("/")

    def action_regenerate_token(self):
        for channel in self:
            channel.webhook_token = new_webhook_token()
            channel.message_post(body=self.env._("Webhook URL regenerated: the provider must be given the new one."))

    def action_test_webhook(self):
        """Send a signed sample contact through the whole inbound pipeline, read the outcome, undo it all."""
        self.ensure_one()
        channel = self.sudo()  # sudo: signing the sample needs the secret, readable by managers who press this
        headers, body = sample_request(
            channel.provider,
            channel.channel_type,
            channel.webhook_url,
            channel.signing_secret or "",
            channel.sender_id or "",
        )
        request_data = {"method": "POST", "url": channel.webhook_url, "headers": headers, "body": body}
        route = channel._as_route()
        processor = self.env["cc.inbound.processor"].sudo().with_company(channel.company_id)
        try:
            with self.env.cr.savepoint():
                event, status, text = processor._accept(route, request_data)
                if status == 200:
                    processor.process_event(event)  # here and now, for its outcome to be read
                outcome = self._describe_test_outcome(event, status, text)
                raise _DryRunDone
        except _DryRunDone:
            pass
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Webhook test (nothing was kept)"),
                "message": outcome,
                "type": "success" if status == 200 else "danger",
                "sticky": status != 200,
            },
        }

    def _describe_test_outcome(self, event, status, text):
        if status != 200:
            return self.env._("The sample was refused (HTTP %(status)s): %(reason)s", status=status, reason=text)
        if event.state == "failed":
            return self.env._("The sample was stored but processing failed: %(error)s", error=event.error)
        interaction = event.interaction_ids[:1]
        created = interaction.ticket_id.display_name or interaction.lead_id.display_name or interaction.display_name
        return self.env._(
            "Signature, parsing and processing work: the sample became %(record)s, routed to %(agent)s.",
            record=created,
            agent=interaction.user_id.name or interaction.team_id.name or self.env._("nobody"),
        )

    def action_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_interaction")
        action["domain"] = [("channel_id", "=", self.id)]
        action["context"] = {"default_channel_id": self.id}
        return action

    def action_open_failed_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_webhook_event")
        action["domain"] = [("channel_id", "=", self.id), ("state", "=", "failed")]
        return action
