from odoo import api, fields, models

INTERACTION_STATES = [
    ("new", "New"),
    ("queued", "Queued"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("missed", "Missed / Abandoned"),
    ("failed", "Failed"),
]

DELIVERY_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("read", "Read"),
    ("failed", "Failed"),
]


class CcInteraction(models.Model):
    """One contact event on one channel: the single source the timeline, SLA timers and reports read.

    Not a mail.thread: interactions arrive by the thousand and the conversation itself lives in the chatter
    of the ticket or lead they are linked to.
    """

    _name = "cc.interaction"
    _description = "Contact Center Interaction"
    _order = "received_at desc, id desc"
    _rec_names_search = ["summary", "address", "partner_id"]

    channel_id = fields.Many2one("cc.channel", required=True, index=True, ondelete="restrict")
    channel_type = fields.Selection(related="channel_id.channel_type", store=True)
    company_id = fields.Many2one(related="channel_id.company_id", store=True, index=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], required=True, default="inbound")
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, ondelete="set null")
    address = fields.Char(help="The customer's phone number, email or account id on this channel.")
    external_id = fields.Char(string="Provider ID", copy=False, help="The provider's own id of this message or call.")
    body = fields.Text()
    summary = fields.Char(compute="_compute_summary", store=True)
    media_urls = fields.Text(help="One link per line.")
    state = fields.Selection(INTERACTION_STATES, required=True, default="new", index=True)
    delivery_status = fields.Selection(DELIVERY_STATES, help="Provider's delivery status of an outbound message.")
    error = fields.Text(help="Why sending or processing failed.")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    queued_at = fields.Datetime()
    answered_at = fields.Datetime()
    ended_at = fields.Datetime()
    wait_seconds = fields.Integer(help="Seconds the customer waited before an agent answered (calls).")
    talk_seconds = fields.Integer(help="Seconds of conversation (calls).")
    user_id = fields.Many2one("res.users", string="Agent", index=True)
    team_id = fields.Many2one("helpdesk.ticket.team", index=True)
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null")
    lead_id = fields.Many2one("crm.lead", index="btree_not_null", ondelete="set null")
    webhook_event_id = fields.Many2one("cc.webhook.event", string="Inbound Payload", ondelete="set null")
    message_id = fields.Many2one(
        "mail.message",
        string="Chatter Message",
        index="btree_not_null",
        ondelete="set null",
        help="The message this contact appears as in its ticket's chatter.",
    )

    cc_upsell_flag_ids = fields.Many2many(
        "cc.upsell.flag", compute="_compute_cc_upsell_flag_ids", string="Upsell Prompts"
    )

    _external_id_unique = models.Constraint(
        "UNIQUE(channel_id, external_id)", "The provider already delivered this message on this channel."
    )
    _partner_received_idx = models.Index("(partner_id, received_at DESC, id DESC) WHERE partner_id IS NOT NULL")
    # A customer's timeline (cc.timeline.item), newest first, to the second: read from the index.
    _timeline_idx = models.Index("(partner_id, date_trunc('second', received_at), id) WHERE partner_id IS NOT NULL")
    # The timeline leaves out a ticket's or lead's messages that an interaction already stands for.
    _ticket_external_idx = models.Index("(ticket_id, external_id) WHERE ticket_id IS NOT NULL")
    _lead_external_idx = models.Index("(lead_id, external_id) WHERE lead_id IS NOT NULL")
    _durations_positive = models.Constraint(
        "CHECK(wait_seconds >= 0 AND talk_seconds >= 0)", "Durations cannot be negative."
    )

    @api.depends("partner_id")
    def _compute_cc_upsell_flag_ids(self):
        open_flags = self.env["cc.upsell.flag"].open_flags_by_customer(self.partner_id)
        for interaction in self:
            interaction.cc_upsell_flag_ids = open_flags.get(interaction.partner_id.commercial_partner_id)

    @api.depends("body")
    def _compute_summary(self):
        for interaction in self:
            text = " ".join((interaction.body or "").split())
            interaction.summary = text[:120] if text else False

    @api.depends("channel_id", "direction", "summary")
    def _compute_display_name(self):
        directions = dict(self._fields["direction"].selection)
        for interaction in self:
            interaction.display_name = " · ".join(
                part
                for part in (interaction.channel_id.name, directions.get(interaction.direction), interaction.summary)
                if part
            )

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }

    def action_take(self):
        """An agent takes the contact: it is theirs and answered now."""
        now = fields.Datetime.now()
        for interaction in self.filtered(lambda i: i.state in ("new", "queued")):
            interaction.write(
                {
                    "user_id": self.env.user.id,
                    "state": "in_progress",
                    "answered_at": now,
                    "wait_seconds": int((now - interaction.received_at).total_seconds()),
                }
            )

    def action_done(self):
        self.filtered(lambda i: i.state not in ("done", "failed")).write(
            {"state": "done", "ended_at": fields.Datetime.now()}
        )
