from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    cc_identity_ids = fields.One2many("cc.identity", "partner_id", string="Identities")
    cc_interaction_ids = fields.One2many("cc.interaction", "partner_id", string="Interactions")
    cc_interaction_count = fields.Integer(compute="_compute_cc_interaction_count", string="Interaction Count")
    cc_timeline_count = fields.Integer(compute="_compute_cc_timeline_count", string="Timeline Items")

    # Identity resolution falls back on these when a number or address has no cc.identity yet.
    _cc_phone_sanitized_idx = models.Index("(phone_sanitized) WHERE phone_sanitized IS NOT NULL")

    def _compute_cc_interaction_count(self):
        counts = dict(
            self.env["cc.interaction"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.cc_interaction_count = counts.get(partner, 0)

    def _compute_cc_timeline_count(self):
        # Counted through the timeline's own access rules: what this user may see.
        counts = dict(
            self.env["cc.timeline.item"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.cc_timeline_count = counts.get(partner, 0)

    def action_cc_open_timeline(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Timeline of %s", self.display_name),
            "res_model": "cc.timeline.item",
            "views": [(self.env.ref("cc_omnichannel.cc_timeline_item_view_list").id, "list")],
            "domain": [("partner_id", "=", self.id)],
        }

    def action_cc_open_interactions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("cc_omnichannel.action_cc_interaction")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
