from odoo import api, fields, models

TARGET_KINDS = [
    ("first_response", "First Response"),
    ("next_response", "Next Response"),
    ("resolution", "Resolution"),
]


class CcSlaTarget(models.Model):
    """One target of a policy: how many working minutes a kind of answer may take."""

    _name = "cc.sla.target"
    _inherit = ["cc.sla.policy.condition"]
    _description = "SLA Target"
    _order = "policy_id, kind"

    policy_id = fields.Many2one("cc.sla.policy", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(TARGET_KINDS, required=True)
    minutes = fields.Integer(string="Working Minutes", required=True)
    company_id = fields.Many2one(related="policy_id.company_id", store=True)

    _kind_unique = models.Constraint("UNIQUE(policy_id, kind)", "A policy has one target of each kind.")
    _minutes_positive = models.Constraint("CHECK(minutes > 0)", "A target must allow some working time.")

    _cc_sla_rule_fields = ("policy_id", "kind", "minutes")

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        self.env["cc.sla.policy"]._cc_clear_rules()
        return targets
