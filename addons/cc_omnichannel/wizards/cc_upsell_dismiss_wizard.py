from odoo import fields, models


class CcUpsellDismissWizard(models.TransientModel):
    _name = "cc.upsell.dismiss.wizard"
    _description = "Dismiss Upsell Prompts"

    flag_ids = fields.Many2many("cc.upsell.flag", required=True)
    reason = fields.Text(required=True, help="Why this is not a sale now: the rule's owner reads it.")

    def action_dismiss(self):
        self.flag_ids.action_dismiss(self.reason)
        return {"type": "ir.actions.act_window_close"}
