from odoo import api, fields, models
from odoo.exceptions import UserError


class CcIdentityMergeWizard(models.TransientModel):
    """One customer reached us as two contacts (a Telegram account, an email): make them one for the future."""

    _name = "cc.identity.merge.wizard"
    _description = "Merge Customer Identities"

    source_partner_id = fields.Many2one("res.partner", string="Merge", required=True)
    target_partner_id = fields.Many2one("res.partner", string="Into", required=True)
    identity_ids = fields.Many2many("cc.identity", compute="_compute_identity_ids", string="Identities Moved")
    archive_source = fields.Boolean(string="Archive the merged contact", default=True)

    @api.depends("source_partner_id")
    def _compute_identity_ids(self):
        for wizard in self:
            wizard.identity_ids = wizard.source_partner_id.cc_identity_ids

    def action_merge(self):
        """Move the identities, contacts, tickets and open prompts of the one customer to the other."""
        self.ensure_one()
        source, target = self.source_partner_id, self.target_partner_id
        if source == target:
            raise UserError(self.env._("Choose two different customers."))
        if source.user_ids:
            raise UserError(self.env._("%s is a user of this database: it cannot be merged away.", source.name))
        # sudo: the customer's history moves as a whole, including contacts of other teams and prompts that
        # agents cannot edit one by one; merging itself is what the agent group may do.
        for model in ("cc.identity", "cc.interaction", "helpdesk.ticket", "cc.upsell.flag"):
            self.env[model].sudo().search([("partner_id", "=", source.id)]).write({"partner_id": target.id})
        # sudo: an agent needs no right to edit contacts to record the merge and retire the duplicate.
        target.sudo().message_post(
            body=self.env._(
                "%(merged)s was merged into this customer by %(agent)s.",
                merged=source.display_name,
                agent=self.env.user.name,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        if self.archive_source:
            source.sudo().active = False
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": target.id,
            "views": [(False, "form")],
        }
