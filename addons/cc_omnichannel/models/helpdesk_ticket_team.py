from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    cc_routing = fields.Selection(
        [("round_robin", "Round robin"), ("least_open", "Least open work"), ("manual", "Manual")],
        string="Routing",
        required=True,
        default="least_open",
        help="How a new contact for this team picks its agent: only agents available and under capacity "
        "are candidates; Manual leaves the contact in the team's queue.",
    )
    cc_channel_ids = fields.One2many("cc.channel", "team_id", string="Channels")
