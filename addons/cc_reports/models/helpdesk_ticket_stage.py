from odoo import models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    def write(self, vals):
        result = super().write(vals)
        if "closed" in vals:
            self.env["cc.kpi.ticket"]._follow_stages(self)
        return result
