from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from .cc_sla_target import TARGET_KINDS

TICKET_PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]


class CcSlaPolicy(models.Model):
    """Which tickets an SLA applies to, the business calendar it counts in, and its targets."""

    _name = "cc.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

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
        return {target.kind: target.minutes for target in self.target_ids}

    @api.model
    def match_tickets(self, tickets):
        """{ticket: policy} for the tickets some active policy applies to (the first one, by sequence)."""
        policies = self.search([("company_id", "in", tickets.company_id.ids)])
        matched = {}
        remaining = tickets
        for policy in policies:
            hits = remaining.filtered_domain(policy._ticket_domain())
            matched.update(dict.fromkeys(hits, policy))
            remaining -= hits
            if not remaining:
                break
        return matched

    def _ticket_domain(self):
        self.ensure_one()
        conditions = [Domain("company_id", "=", self.company_id.id)]
        if self.team_ids:
            conditions.append(Domain("team_id", "in", self.team_ids.ids))
        if self.priority:
            conditions.append(Domain("priority", "=", self.priority))
        if self.channel_types:
            conditions.append(Domain("cc_channel_id.channel_type", "in", self.channel_types.mapped("code")))
        if self.category_ids:
            conditions.append(Domain("category_id", "in", self.category_ids.ids))
        if self.tag_ids:
            conditions.append(Domain("tag_ids", "in", self.tag_ids.ids))
        if self.partner_category_ids:
            conditions.append(Domain("partner_id.category_id", "in", self.partner_category_ids.ids))
        if self.domain and self.domain != "[]":
            conditions.append(Domain(safe_eval(self.domain)))
        return Domain.AND(conditions)

    def business_calendar(self, partner=None):
        """The BusinessCalendar this policy counts in, for a ticket of `partner`."""
        self.ensure_one()
        tz = (self.use_customer_tz and partner and partner.tz) or None
        return self.calendar_id.cc_business_calendar(tz)

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
