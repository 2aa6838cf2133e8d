import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

UPSELL_TRIGGERS = [
    ("inbound", "An inbound contact"),
    ("ticket_solved", "A ticket solved"),
    ("rating", "A good rating"),
]


class CcUpsellRule(models.Model):
    """When the contact center should prompt a sale, what to offer, and who in sales gets it."""

    _name = "cc.upsell.rule"
    _description = "Upsell Rule"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    trigger = fields.Selection(UPSELL_TRIGGERS, required=True, default="inbound", tracking=True)
    partner_domain = fields.Char(string="Customers", default="[]", help="Which customers qualify (a domain).")
    keywords = fields.Char(help="Comma-separated words; one of them must appear in the message. Empty: any message.")
    channel_types = fields.Many2many("cc.channel.type", string="Channels", help="Empty: every channel.")
    min_contacts = fields.Integer(
        string="Minimum Contacts", default=0, help="Contacts the customer made within the window, this one included."
    )
    window_days = fields.Integer(string="Within (days)", default=30)
    offer = fields.Char(required=True, help="What the agent proposes, in one line.")
    talking_points = fields.Text(help="What the agent can say.")
    expected_revenue = fields.Monetary(currency_field="currency_id", groups="sales_team.group_sale_salesman")
    currency_id = fields.Many2one(related="company_id.currency_id")
    crm_team_id = fields.Many2one("crm.team", string="Sales Team")
    user_id = fields.Many2one("res.users", string="Salesperson", domain=[("share", "=", False)])
    cooldown_days = fields.Integer(
        string="Cool-down (days)", default=30, help="Days after a prompt for a customer before this rule prompts again."
    )
    flag_count = fields.Integer(compute="_compute_flag_count")

    _windows_positive = models.Constraint(
        "CHECK(min_contacts >= 0 AND window_days >= 0 AND cooldown_days >= 0)", "Counts and days cannot be negative."
    )

    def _compute_flag_count(self):
        counts = dict(self.env["cc.upsell.flag"]._read_group([("rule_id", "in", self.ids)], ["rule_id"], ["__count"]))
        for rule in self:
            rule.flag_count = counts.get(rule, 0)

    def _keyword_pattern(self):
        words = [word.strip() for word in (self.keywords or "").split(",") if word.strip()]
        return re.compile("|".join(rf"\b{re.escape(word)}\b" for word in words), re.IGNORECASE) if words else None

    @api.model
    def evaluate(self, trigger, partner, company, interaction=None, ticket=None):
        """Raise a flag for each rule of `trigger` this customer now matches; return the new flags.

        A few queries whatever the number of rules: the rules, the customer's recent contacts, their recent
        flags; conditions on the message and the customer are checked on those in memory.
        """
        partner = partner.commercial_partner_id if partner else partner
        if not partner:
            return self.env["cc.upsell.flag"]
        rules = self.search([("trigger", "=", trigger), ("company_id", "=", company.id)])
        if interaction:
            rules = rules.filtered(
                lambda rule: not rule.channel_types or interaction.channel_type in rule.channel_types.mapped("code")
            )
        if not rules:
            return self.env["cc.upsell.flag"]
        now = fields.Datetime.now()
        contact_dates = self._recent_contact_dates(partner, now - timedelta(days=max(rules.mapped("window_days"))))
        blocked = self._rules_blocked_for(partner, rules, now)
        text = (interaction.body if interaction else "") or ""
        matching = rules.filtered(
            lambda rule: (
                rule not in blocked
                and rule._matches_text(text)
                and rule._matches_contacts(contact_dates, now)
                and rule._matches_partner(partner)
            )
        )
        return self.env["cc.upsell.flag"].raise_for(matching, partner, interaction=interaction, ticket=ticket)

    def _matches_text(self, text):
        pattern = self._keyword_pattern()
        return not pattern or bool(pattern.search(text))

    def _matches_contacts(self, contact_dates, now):
        if not self.min_contacts:
            return True
        since = now - timedelta(days=self.window_days)
        return sum(1 for date in contact_dates if date >= since) >= self.min_contacts

    def _matches_partner(self, partner):
        if not self.partner_domain or self.partner_domain == "[]":
            return True
        return bool(partner.filtered_domain(Domain(safe_eval(self.partner_domain))))

    def _recent_contact_dates(self, partner, since):
        return (
            self.env["cc.interaction"]
            .sudo()
            .search_fetch(  # sudo: counting, whoever's team had the contacts
                [("partner_id", "child_of", partner.id), ("direction", "=", "inbound"), ("received_at", ">=", since)],
                ["received_at"],
            )
            .mapped("received_at")
        )

    def _rules_blocked_for(self, partner, rules, now):
        """Rules with an open flag for this customer, or one raised within their cool-down."""
        since = now - timedelta(days=max(rules.mapped("cooldown_days")))
        flags = (
            self.env["cc.upsell.flag"]
            .sudo()
            .search_fetch(  # sudo: the cool-down spans every rep's flags
                [
                    ("partner_id", "=", partner.id),
                    ("rule_id", "in", rules.ids),
                    "|",
                    ("state", "=", "open"),
                    ("create_date", ">=", since),
                ],
                ["rule_id", "state", "create_date"],
            )
        )
        return flags.filtered(
            lambda flag: flag.state == "open" or flag.create_date >= now - timedelta(days=flag.rule_id.cooldown_days)
        ).rule_id

    def action_open_flags(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_upsell_flag")
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action
