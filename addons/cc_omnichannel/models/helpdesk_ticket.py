from odoo import api, fields, models
from odoo.tools import html2plaintext

REPLYABLE_CHANNEL_TYPES = ("sms", "whatsapp", "telegram", "facebook", "instagram")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    cc_channel_id = fields.Many2one("cc.channel", string="Origin Channel", readonly=True, index="btree_not_null")
    cc_interaction_ids = fields.One2many("cc.interaction", "ticket_id", string="Interactions")
    cc_interaction_count = fields.Integer(compute="_compute_cc_interaction_count", string="Interaction Count")
    cc_last_contact_at = fields.Datetime(
        string="Last Customer Contact",
        readonly=True,
        index="btree_not_null",
        help="When the customer last reached us about this ticket, on any channel.",
    )
    cc_reply_error = fields.Text(string="Reply Not Delivered", readonly=True)
    cc_upsell_flag_ids = fields.Many2many(
        "cc.upsell.flag",
        compute="_compute_cc_upsell_flag_ids",
        string="Upsell Prompts",
        help="Open prompts for this customer: what the agent can propose.",
    )

    # A customer's timeline (cc.timeline.item): opened and solved, newest first, read from the index.
    _cc_timeline_opened_idx = models.Index(
        "(partner_id, date_trunc('second', create_date), id) WHERE partner_id IS NOT NULL"
    )
    _cc_timeline_solved_idx = models.Index(
        "(partner_id, date_trunc('second', closed_date), id) WHERE partner_id IS NOT NULL AND closed_date IS NOT NULL"
    )

    @api.depends("partner_id")
    def _compute_cc_upsell_flag_ids(self):
        open_flags = self.env["cc.upsell.flag"].open_flags_by_customer(self.partner_id)
        for ticket in self:
            ticket.cc_upsell_flag_ids = open_flags.get(ticket.partner_id.commercial_partner_id)

    def write(self, vals):
        were_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else self.browse()
        result = super().write(vals)
        for ticket in were_open.filtered("closed"):
            self.env["cc.upsell.rule"].evaluate("ticket_solved", ticket.partner_id, ticket.company_id, ticket=ticket)
        return result

    def _compute_cc_interaction_count(self):
        counts = dict(
            self.env["cc.interaction"]._read_group([("ticket_id", "in", self.ids)], ["ticket_id"], ["__count"])
        )
        for ticket in self:
            ticket.cc_interaction_count = counts.get(ticket, 0)

    @api.model
    def cc_find_thread(self, partner, company, window_hours):
        """The customer's open ticket still active within the window, to add a new contact to."""
        if not partner or not window_hours:
            return self.browse()
        cutoff = fields.Datetime.subtract(fields.Datetime.now(), hours=window_hours)
        return self.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("stage_id.closed", "=", False),
                ("cc_last_contact_at", ">=", cutoff),
            ],
            order="cc_last_contact_at desc",
            limit=1,
        )

    def action_cc_raise_upsell(self):
        """An agent spots a buying signal: a new prompt for this customer, from a rule they choose."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cc.upsell.flag",
            "view_mode": "form",
            "views": [(self.env.ref("cc_omnichannel.cc_upsell_flag_view_form_raise").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.partner_id.commercial_partner_id.id, "default_ticket_id": self.id},
        }

    def action_cc_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_interaction")
        action["domain"] = [("ticket_id", "=", self.id)]
        return action

    def _cc_reply_interaction(self):
        """The latest inbound contact on a channel we can answer through, or an empty recordset."""
        self.ensure_one()
        return self.env["cc.interaction"].search(
            [
                ("ticket_id", "=", self.id),
                ("direction", "=", "inbound"),
                ("channel_type", "in", REPLYABLE_CHANNEL_TYPES),
                ("address", "!=", False),
            ],
            order="received_at desc, id desc",
            limit=1,
        )

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        if self._cc_is_agent_reply(message):
            self.env["cc.outbound.sender"].send_ticket_reply(self, message)
        return result

    def _cc_is_agent_reply(self, message):
        """A public reply written by an internal user (not a note, not the customer, not the system)."""
        return (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda user: not user.share)
            and not self.env.context.get("cc_inbound")
        )

    # --- inbound email through Odoo's mail gateway ---------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        ticket = super().message_new(msg_dict, custom_values=custom_values)
        ticket._cc_log_inbound_email(msg_dict)
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        result = super().message_update(msg_dict, update_vals=update_vals)
        self._cc_log_inbound_email(msg_dict)
        return result

    def _cc_email_channel(self):
        """The email channel of the ticket's team, else the company's team-less one."""
        channels = (
            self.env["cc.channel"]
            .sudo()
            .search(
                [
                    ("provider", "=", "odoo_mail"),
                    ("company_id", "=", self.company_id.id),
                    ("team_id", "in", (self.team_id.id, False)),
                ]
            )
        )
        return channels.filtered("team_id")[:1] or channels[:1]

    def _cc_log_inbound_email(self, msg_dict):
        """Record an email that reached this ticket as an inbound interaction of the email channel."""
        for ticket in self:
            channel = ticket._cc_email_channel()
            if not channel:
                continue
            address = self.env["cc.identity"].normalize("email", msg_dict.get("email_from") or "", ticket.company_id)
            partner = ticket.partner_id
            if address:
                partner = (
                    self.env["cc.identity"]
                    .sudo()
                    .resolve_partner("email", address, ticket.company_id, ticket.partner_name or "")
                )
            received_at = fields.Datetime.now()
            self.env["cc.interaction"].sudo().create(
                {  # sudo: the mail gateway runs without a contact center role
                    "channel_id": channel.id,
                    "direction": "inbound",
                    "partner_id": partner.id,
                    "address": address or False,
                    "external_id": msg_dict.get("message_id") or False,
                    "body": html2plaintext(msg_dict.get("body") or "") or msg_dict.get("subject"),
                    "received_at": received_at,
                    "state": "queued",
                    "queued_at": received_at,
                    "team_id": ticket.team_id.id,
                    "user_id": ticket.user_id.id,
                    "ticket_id": ticket.id,
                }
            )
            ticket.sudo().write(
                {"cc_last_contact_at": received_at, "cc_channel_id": ticket.cc_channel_id.id or channel.id}
            )
