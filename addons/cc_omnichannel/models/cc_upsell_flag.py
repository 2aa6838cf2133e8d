from odoo import api, fields, models
from odoo.exceptions import UserError

FLAG_STATES = [
    ("open", "Open"),
    ("accepted", "Accepted"),
    ("dismissed", "Dismissed"),
    ("won", "Won"),
    ("lost", "Lost"),
]


class CcUpsellFlag(models.Model):
    """A buying signal the contact center raised for a customer: agents see it, a sales rep acts on it."""

    _name = "cc.upsell.flag"
    _description = "Upsell Flag"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _rec_name = "offer"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    rule_id = fields.Many2one("cc.upsell.rule", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    state = fields.Selection(FLAG_STATES, required=True, default="open", index=True, tracking=True)
    offer = fields.Char(compute="_compute_from_rule", store=True, precompute=True, readonly=False, required=True)
    talking_points = fields.Text(compute="_compute_from_rule", store=True, precompute=True, readonly=False)
    interaction_id = fields.Many2one("cc.interaction", index="btree_not_null", ondelete="set null")
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null")
    lead_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null", ondelete="set null")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        compute="_compute_from_rule",
        store=True,
        precompute=True,
        readonly=False,
    )
    crm_team_id = fields.Many2one(
        "crm.team", string="Sales Team", compute="_compute_from_rule", store=True, precompute=True, readonly=False
    )
    raised_by_id = fields.Many2one("res.users", string="Raised By", default=lambda self: self.env.user)
    dismiss_reason = fields.Text(tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    expected_revenue = fields.Monetary(
        groups="sales_team.group_sale_salesman",
        tracking=True,
        compute="_compute_from_rule",
        store=True,
        precompute=True,
        readonly=False,
    )
    won_revenue = fields.Monetary(groups="sales_team.group_sale_salesman", tracking=True)

    _one_open_flag_per_rule = models.UniqueIndex(
        "(partner_id, rule_id) WHERE state = 'open'", "This customer already has an open prompt from this rule."
    )
    _timeline_idx = models.Index("(partner_id, date_trunc('second', create_date), id)")  # a customer's timeline

    @api.model
    def open_flags_by_customer(self, partners):
        """{commercial partner: their open flags}, in one query, for the banners agents see."""
        flags = self.search([("partner_id", "in", partners.commercial_partner_id.ids), ("state", "=", "open")])
        return flags.grouped("partner_id")

    @api.depends("rule_id")
    def _compute_from_rule(self):
        for flag in self:
            rule = flag.rule_id.sudo()  # sudo: an agent raising a prompt copies the rule's amount it may not read
            flag.offer = rule.offer
            flag.talking_points = rule.talking_points
            flag.user_id = rule.user_id or rule.crm_team_id.user_id
            flag.crm_team_id = rule.crm_team_id
            flag.expected_revenue = rule.expected_revenue

    @api.model_create_multi
    def create(self, vals_list):
        flags = super().create(vals_list)
        # Each salesperson gets a to-do: all in one create, which notifies and subscribes them in batches.
        to_do = flags.filtered("user_id")
        if not to_do:
            return flags
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.env["mail.activity"].create(
            [
                {
                    "activity_type_id": todo.id,
                    "summary": self.env._(
                        "Upsell: %(offer)s for %(customer)s", offer=flag.offer, customer=flag.partner_id.name
                    ),
                    "note": todo.default_note,
                    "automated": True,
                    "date_deadline": fields.Date.context_today(flag),
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": flag.id,
                    "user_id": flag.user_id.id,
                }
                for flag in to_do
            ]
        )
        return flags

    @api.model
    def raise_for(self, rules, partner, interaction=None, ticket=None):
        """Create one open flag per rule for `partner`; each salesperson gets a to-do."""
        if not rules:
            return self
        ticket = ticket or (interaction.ticket_id if interaction else self.env["helpdesk.ticket"])
        # Raised by the processing, not by someone: no "created" note and no follower for it, the to-do says it.
        return (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                [  # sudo: raised by the contact center's own processing, not by a user
                    {
                        "partner_id": partner.id,
                        "rule_id": rule.id,
                        "company_id": rule.company_id.id,
                        "interaction_id": interaction.id if interaction else False,
                        "ticket_id": ticket.id,
                    }
                    for rule in rules
                ]
            )
        )

    def action_accept(self):
        """The rep takes the prompt: an opportunity for them, linked to the flag, its ticket and contact."""
        for own_flag in self:
            if own_flag.state != "open":
                raise UserError(self.env._("Only an open prompt can be accepted."))
            flag = own_flag.sudo()  # sudo: the rep may not read the ticket or the interaction the flag links
            salesperson = self.env.user if self.env.user.has_group("sales_team.group_sale_salesman") else flag.user_id
            lead = self.env["crm.lead"].create(
                {
                    "name": self.env._("%(offer)s - %(customer)s", offer=flag.offer, customer=flag.partner_id.name),
                    "type": "opportunity",
                    "partner_id": flag.partner_id.id,
                    "user_id": salesperson.id,
                    "team_id": flag.crm_team_id.id or False,
                    "expected_revenue": flag.expected_revenue,
                    "description": flag.talking_points,
                    "company_id": flag.company_id.id,
                    "cc_upsell_flag_id": flag.id,
                }
            )
            flag.write({"state": "accepted", "lead_id": lead.id, "user_id": salesperson.id})
            flag.activity_ids.action_feedback(feedback=self.env._("Accepted: opportunity created."))
        return self._open_lead() if len(self) == 1 else True

    def action_dismiss(self, reason):
        """The rep declines the prompt, saying why."""
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the prompt is dismissed."))
        for flag in self:
            if flag.state != "open":
                raise UserError(self.env._("Only an open prompt can be dismissed."))
        self.write({"state": "dismissed", "dismiss_reason": reason.strip()})
        self.activity_ids.action_feedback(feedback=self.env._("Dismissed: %s", reason.strip()))
        return True

    def action_open_dismiss_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "cc.upsell.dismiss.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_flag_ids": self.ids},
        }

    def record_outcome(self, lead):
        """The opportunity was won or lost: the flag says so, with the revenue won."""
        if lead.won_status == "won":
            self.sudo().write({"state": "won", "won_revenue": lead.expected_revenue})
        elif lead.won_status == "lost":
            self.sudo().write({"state": "lost", "won_revenue": 0})

    def _open_lead(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }
