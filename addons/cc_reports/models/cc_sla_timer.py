from odoo import models


class CcSlaTimer(models.Model):
    _inherit = "cc.sla.timer"

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.env["cc.dashboard"].notify_change()
        return result
