from odoo import api, fields, models, tools
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from ..tools.policy_rules import PolicyRule, PolicyRules
from .cc_sla_target import TARGET_KINDS

TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
# What a PolicyRule holds: writing one of these makes the shared rules be read again.
RULE_FIELDS = (
    "company_id", "active", "sequence", "calendar_id", "use_customer_tz", "at_risk_percent", "target_ids",
    "pause_stage_ids", "stop_stage_ids", "team_ids", "priority", "channel_types", "category_ids", "tag_ids",
    "partner_category_ids", "domain",
)  # fmt: skip


class CcSlaPolicy(models.Model):
    """Which tickets an SLA applies to, the business calendar it counts in, and its targets."""

    _name = "cc.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread", "cc.sla.policy.condition"]
    _order = "sequence, id"
    _cc_sla_rule_fields = RULE_FIELDS

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10, help="A ticket gets the first matching policy, in this order.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams", help="Empty: every team.")
    priority = fields.Selection(TICKET_PRIORITIES, help="Empty: every priority.", tracking=True)
    channel_types = fields.Many2many("cc.channel.type", string="Channels", help="Empty: every channel.")
    category_ids = fields.Many2many("helpdesk.ticket.category", string="Categories", help="Empty: every category.")
    tag_ids = fields.Many2many("helpdesk.ticket.tag", string="Ticket Tags", help="Empty: any tags.")
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", help="Customers with one of these tags (e.g. a tier)."
    )
    domain = fields.Char(string="Other Conditions", default="[]", help="A domain on tickets.")

    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working time and public holidays the targets are counted in.",
    )
    use_customer_tz = fields.Boolean(
        string="Customer's Time Zone", help="Count the business hours in the customer's time zone when it is known."
    )
    target_ids = fields.One2many("cc.sla.target", "policy_id", string="Targets", copy=True)
    at_risk_percent = fields.Integer(
        string="At Risk At (%)", default=75, help="Share of a target's time used when its timer turns at risk."
    )
    pause_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "cc_sla_policy_pause_stage_rel",
        string="Pausing Stages",
        help="While a ticket is in one of these stages (e.g. waiting on the customer) its timers do not run.",
    )
    stop_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        "cc_sla_policy_stop_stage_rel",
        string="Stopping Stages",
        help="Reaching one of these stages (e.g. solved, closed) ends every timer of the ticket.",
    )
    escalation_ids = fields.One2many("cc.sla.escalation", "policy_id", string="Escalations", copy=True)
    timer_count = fields.Integer(compute="_compute_timer_count")

    _at_risk_percent_range = models.Constraint(
        "CHECK(at_risk_percent > 0 AND at_risk_percent < 100)", "The at-risk threshold is a percentage, 1 to 99."
    )

    def _compute_timer_count(self):
        counts = dict(self.env["cc.sla.timer"]._read_group([("policy_id", "in", self.ids)], ["policy_id"], ["__count"]))
        for policy in self:
            policy.timer_count = counts.get(policy, 0)

    def target_minutes(self):
        """{kind: working minutes} of this policy's targets."""
        self.ensure_one()
        return self._cc_rules().by_id[self.id].target_minutes()

    @api.model
    def match_tickets(self, tickets):
        """{ticket: policy} for the tickets some active policy applies to (the first one, by sequence)."""
        rules = self._cc_rules()
        matched = rules.first_matches(tickets._cc_sla_facts(rules), self._cc_filter_by_domain)
        return {ticket: self.browse(rule.id) for ticket, rule in matched.items()}

    @api.model
    def _cc_filter_by_domain(self, rule, tickets):
        hits = self.env["helpdesk.ticket"].concat(*tickets).filtered_domain(Domain(safe_eval(rule.domain)))
        return list(hits)

    # --- the policies as plain data, read once per registry ------------------------------------------

    @api.model
    @tools.ormcache()
    def _cc_rules(self):
        """Every policy as a PolicyRule (tools/policy_rules.py), read once and shared by the requests of the
        worker until a policy, a target, or a record a policy selects by changes (see _cc_clear_rules)."""
        # sudo: the policies apply to every ticket, whoever creates it. Archived policies are read too: their
        # tickets keep them.
        policies = self.sudo().with_context(active_test=False).search([])
        return PolicyRules(
            PolicyRule(
                id=policy.id,
                company_id=policy.company_id.id,
                active=policy.active,
                calendar_id=policy.calendar_id.id,
                use_customer_tz=policy.use_customer_tz,
                at_risk_percent=policy.at_risk_percent,
                targets=tuple((target.kind, target.minutes) for target in policy.target_ids),
                pause_stage_ids=frozenset(policy.pause_stage_ids.ids),
                stop_stage_ids=frozenset(policy.stop_stage_ids.ids),
                team_ids=frozenset(policy.team_ids.ids),
                priority=policy.priority or False,
                channel_codes=frozenset(policy.channel_types.mapped("code")),
                category_ids=frozenset(policy.category_ids.ids),
                tag_ids=frozenset(policy.tag_ids.ids),
                partner_category_ids=frozenset(policy.partner_category_ids.ids),
                domain=policy.domain if policy.domain and policy.domain != "[]" else False,
            )
            # archived teams, tags... are left out of the conditions, as they are when a user reads the policy
            for policy in policies.with_context(active_test=True)
        )

    @api.model
    def _cc_clear_rules(self):
        """Make every worker read the policies again: Odoo signals the cleared cache to the others at commit."""
        self.env.registry.clear_cache()

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self._cc_clear_rules()
        return policies

    def business_calendar(self, partner=None):
        """The BusinessCalendar this policy counts in, for a ticket of `partner`."""
        self.ensure_one()
        return self._cc_calendar(self._cc_rules().by_id[self.id], partner)

    @api.model
    def _cc_calendar(self, rule, partner):
        """The BusinessCalendar of a PolicyRule, for a ticket of `partner`."""
        tz = (rule.use_customer_tz and partner and partner.tz) or None
        return self.env["resource.calendar"].browse(rule.calendar_id).cc_business_calendar(tz)

    def action_apply_to_open_tickets(self):
        """Match the company's open tickets again (after a policy was added or changed) and fit their timers."""
        tickets = self.env["helpdesk.ticket"].search(
            [("company_id", "in", self.company_id.ids), ("stage_id.closed", "=", False)]
        )
        tickets._cc_sla_apply(fields.Datetime.now())
        return True

    def action_open_timers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_sla.action_cc_sla_timer")
        action["domain"] = [("policy_id", "=", self.id)]
        return action

    @api.model
    def target_kind_label(self, kind):
        return dict(TARGET_KINDS)[kind]
