from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cc_identity_ids = fields.One2many("cc.identity", "partner_id", string="Identities")
    cc_interaction_ids = fields.One2many("cc.interaction", "partner_id", string="Interactions")
    cc_interaction_count = fields.Integer(compute="_compute_cc_interaction_count", string="Interaction Count")

    def _compute_cc_interaction_count(self):
        counts = dict(
            self.env["cc.interaction"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.cc_interaction_count = counts.get(partner, 0)

    def action_cc_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_interaction")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
