from odoo import models


class CcSlaTimer(models.Model):
    _inherit = "cc.sla.timer"

    # What the KPI refresh reads: only the timers written since the last one.
    _cc_write_date_idx = models.Index("(write_date)")

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.env["cc.dashboard"].notify_change()
        return result
