from odoo import fields
from odoo import models


class CcSlaPolicy(models.Model):
    """Which tickets an SLA applies to, the business calendar it counts in, and its targets."""

    _name = "cc.sla.policy"
    _description = "SLA Policy"
    _inherit = ["mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10, help="The first matching policy applies.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams", help="Empty: every team.")
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Business Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
    )
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
        help="Reaching one of these stages (e.g. solved, closed) meets the resolution target.",
    )

    _at_risk_percent_range = models.Constraint(
        "CHECK(at_risk_percent > 0 AND at_risk_percent < 100)", "The at-risk threshold is a percentage, 1 to 99."
    )
