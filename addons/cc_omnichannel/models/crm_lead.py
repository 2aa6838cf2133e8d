from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    cc_upsell_flag_id = fields.Many2one("cc.upsell.flag", string="Upsell Prompt", readonly=True, index="btree_not_null")

    _cc_partner_date_idx = models.Index("(partner_id, create_date DESC) WHERE partner_id IS NOT NULL")

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals or "active" in vals or "probability" in vals:
            for lead in self.filtered("cc_upsell_flag_id"):
                lead.cc_upsell_flag_id.record_outcome(lead)
        return result
