from odoo import api, models


class CcInteraction(models.Model):
    _inherit = "cc.interaction"

    # What the KPI refresh reads: only the interactions written since the last one.
    _write_date_idx = models.Index("(write_date)")

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        self.env["cc.dashboard"].notify_change()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals or "user_id" in vals:
            self.env["cc.dashboard"].notify_change()
        return result
