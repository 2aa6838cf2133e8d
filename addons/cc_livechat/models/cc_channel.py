from odoo import fields, models


class CcChannel(models.Model):
    _inherit = "cc.channel"

    livechat_channel_id = fields.Many2one(
        "im_livechat.channel",
        string="Live Chat Channel",
        index="btree_not_null",
        ondelete="set null",
        help="The Odoo Live Chat channel whose conversations this channel logs (provider Odoo Live Chat).",
    )

    _livechat_channel_unique = models.Constraint(
        "UNIQUE(livechat_channel_id)",
        "A live chat channel feeds one contact-center channel only.",
    )
