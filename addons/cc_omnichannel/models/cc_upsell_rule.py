from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval

from ..tools.upsell import CompiledRule, contact_windows, keyword_pattern

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

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()  # the compiled rules
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    @api.model
    @tools.ormcache("trigger", "company_id")
    def _compiled_rules(self, trigger, company_id):
        """The company's active rules of `trigger`, in order, as plain data: read once, not on every contact."""
        rules = self.sudo().search(  # sudo: the rules apply whoever's action triggers them
            [("trigger", "=", trigger), ("company_id", "=", company_id)]
        )
        partners = self.env["res.partner"].sudo()  # sudo: which customers qualify, whoever may read them
        return tuple(
            CompiledRule(
                id=rule.id,
                channel_codes=frozenset(rule.channel_types.mapped("code")),
                pattern=keyword_pattern(rule.keywords),
                min_contacts=rule.min_contacts,
                window_days=rule.window_days,
                cooldown_days=rule.cooldown_days,
                customers=None
                if not rule.partner_domain or rule.partner_domain == "[]"
                else self._customers_sql(partners._search(Domain(safe_eval(rule.partner_domain)), active_test=False)),
            )
            for rule in rules
        )

    def _customers_sql(self, query):
        """(FROM, id column, WHERE) of the partners of `query`: SQL to keep, not the Query (bound to an env)."""
        if query.is_empty():
            return SQL.identifier(query.table), SQL.identifier(query.table, "id"), SQL("FALSE")
        return query.from_clause, SQL.identifier(query.table, "id"), query.where_clause or SQL("TRUE")

    @api.model
    def evaluate(self, trigger, partner, company, interaction=None, ticket=None):
        """Raise a flag for each rule of `trigger` this customer now matches; return the new flags.

        The message (channel, keywords) is checked on the cached rules first: most contacts end there,
        without a query. For the rules left, one query reads the customer's recent prompts, contact counts
        and which customer conditions they meet.
        """
        partner = partner.commercial_partner_id if partner else partner
        flags = self.env["cc.upsell.flag"]
        if not partner:
            return flags
        channel_type = interaction.channel_type if interaction else None
        text = interaction.body if interaction else ""
        rules = [rule for rule in self._compiled_rules(trigger, company.id) if rule.matches_message(channel_type, text)]
        if not rules:
            return flags
        blocked, contacts_within, qualified = self._customer_history(partner, rules, fields.Datetime.now())
        matching = [
            rule
            for rule in rules
            if rule.id not in blocked
            and rule.matches_contacts(contacts_within)
            and (rule.customers is None or rule.id in qualified)
        ]
        return flags.raise_for(
            self.browse(rule.id for rule in matching), partner, interaction=interaction, ticket=ticket
        )

    def _customer_history(self, partner, rules, now):
        """For these rules and this customer (a commercial partner), in one query: the ids of the rules
        blocked by a prompt (open, or raised within the rule's cool-down); {days: inbound contacts of the
        customer's people within that many days} for the windows the rules count over, counted up to the
        largest minimum asked (enough to compare); the ids of the rules whose customer condition it meets."""
        self.env["cc.upsell.flag"].flush_model(["partner_id", "rule_id", "state", "create_date"])
        self.env["cc.interaction"].flush_model(["partner_id", "direction", "received_at"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        # Raw SQL: prompts and contacts count whoever's team or rep they belong to.
        windows = contact_windows(rules)
        counts = [
            SQL(
                "(SELECT count(*) FROM (SELECT 1 FROM cc_interaction WHERE direction = 'inbound'"
                " AND received_at >= %s AND partner_id IN (SELECT id FROM res_partner WHERE commercial_partner_id = %s)"
                " LIMIT %s) AS contact)",
                now - timedelta(days=days),
                partner.id,
                max(rule.min_contacts for rule in rules if rule.min_contacts and rule.window_days == days),
            )
            for days in windows
        ]
        conditional = [rule for rule in rules if rule.customers is not None]
        qualifies = [  # a lookup of this one customer, not a list of all who qualify
            SQL("EXISTS(SELECT 1 FROM %s WHERE %s = %s AND %s)", from_clause, id_column, partner.id, where_clause)
            for from_clause, id_column, where_clause in (rule.customers for rule in conditional)
        ]
        cooldowns = SQL(", ").join(SQL("(%s, %s)", rule.id, rule.cooldown_days) for rule in rules)
        [row] = self.env.execute_query(
            SQL(
                "SELECT ARRAY(SELECT flag.rule_id FROM cc_upsell_flag flag"
                " JOIN (VALUES %s) AS rule(id, cooldown_days) ON rule.id = flag.rule_id"
                " WHERE flag.partner_id = %s"
                " AND (flag.state = 'open' OR flag.create_date >= %s - rule.cooldown_days * interval '1 day'))%s",
                cooldowns,
                partner.id,
                now,
                SQL("").join(SQL(", %s", column) for column in counts + qualifies),
            )
        )
        blocked, counted, met = row[0], row[1 : 1 + len(counts)], row[1 + len(counts) :]
        return (
            set(blocked),
            dict(zip(windows, counted, strict=True)),
            {rule.id for rule, yes in zip(conditional, met, strict=True) if yes},
        )

    def action_open_flags(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_upsell_flag")
        action["domain"] = [("rule_id", "=", self.id)]
        action["context"] = {}
        return action
