from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    cc_upsell_flag_id = fields.Many2one("cc.upsell.flag", string="Upsell Prompt", readonly=True, index="btree_not_null")

    # A customer's timeline (cc.timeline.item): created and won or lost, newest first, read from the index.
    _cc_timeline_created_idx = models.Index(
        "(partner_id, date_trunc('second', create_date), id) WHERE partner_id IS NOT NULL"
    )
    _cc_timeline_closed_idx = models.Index(
        "(partner_id, date_trunc('second', date_closed), id)"
        " WHERE partner_id IS NOT NULL AND won_status IN ('won', 'lost') AND date_closed IS NOT NULL"
    )

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals or "active" in vals or "probability" in vals:
            for lead in self.filtered("cc_upsell_flag_id"):
                lead.cc_upsell_flag_id.record_outcome(lead)
        return result
