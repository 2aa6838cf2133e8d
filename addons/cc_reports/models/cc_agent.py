from odoo import models


class CcAgent(models.Model):
    _inherit = "cc.agent"

    def write(self, vals):
        result = super().write(vals)
        if "presence" in vals or "capacity" in vals:
            self.env["cc.dashboard"].notify_change()
        return result
