from odoo import fields, models

from odoo.addons.cc_omnichannel.models.cc_channel import CHANNEL_TYPES


class CcKpiDimensions(models.AbstractModel):
    """What every KPI fact is grouped and scoped by (cc_kpi.py's DIMENSIONS): company, channel, team, agent."""

    _name = "cc.kpi.dimensions"
    _description = "Contact Center KPI Dimensions"

    company_id = fields.Many2one("res.company", readonly=True)
    channel_type = fields.Selection(CHANNEL_TYPES, readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
