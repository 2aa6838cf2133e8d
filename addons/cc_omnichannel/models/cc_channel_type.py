from odoo import fields, models


class CcChannelType(models.Model):
    """The kinds of channel, as records, so that rules and policies can select several of them."""

    _name = "cc.channel.type"
    _description = "Contact Center Channel Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="The value of cc.channel.channel_type this type stands for.")
    sequence = fields.Integer(default=10)

    _code_unique = models.Constraint("UNIQUE(code)", "A channel type is defined once.")
