import secrets

from odoo import api, fields, models
from odoo.exceptions import ValidationError

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


def new_webhook_token():
    return secrets.token_urlsafe(24)


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
            channel.webhook_url = f"{channel.get_base_url()}/cc/webhook/{channel.provider}/{channel.webhook_token}"

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
        try:
            with self.env.cr.savepoint():
                # queue_job__no_delay: the sample is processed here and now, for its outcome to be read.
                processor = self.env["cc.inbound.processor"].sudo().with_context(queue_job__no_delay=True)
                status, text = processor.receive(channel, request_data)
                outcome = self._describe_test_outcome(status, text)
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

    def _describe_test_outcome(self, status, text):
        if status != 200:
            return self.env._("The sample was refused (HTTP %(status)s): %(reason)s", status=status, reason=text)
        event = self.env["cc.webhook.event"].search([("channel_id", "=", self.id)], order="id desc", limit=1)
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
