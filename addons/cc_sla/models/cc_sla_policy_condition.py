from odoo import models


class CcSlaPolicyCondition(models.AbstractModel):
    """What the shared rules of the SLA policies are read from (cc.sla.policy._cc_rules): the policies, their
    targets, and the records they select tickets by or pause and stop timers in. Writing one of
    `_cc_sla_rule_fields`, or deleting a record, makes every worker read the rules again."""

    _name = "cc.sla.policy.condition"
    _description = "SLA Policy Condition"

    _cc_sla_rule_fields = ("active",)  # the fields of these records a policy's rule depends on

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in self._cc_sla_rule_fields):
            self.env["cc.sla.policy"]._cc_clear_rules()
        return result

    def unlink(self):
        result = super().unlink()
        self.env["cc.sla.policy"]._cc_clear_rules()
        return result


class HelpdeskTicketTeam(models.Model):
    _name = "helpdesk.ticket.team"
    _inherit = ["helpdesk.ticket.team", "cc.sla.policy.condition"]


class HelpdeskTicketStage(models.Model):
    _name = "helpdesk.ticket.stage"
    _inherit = ["helpdesk.ticket.stage", "cc.sla.policy.condition"]


class HelpdeskTicketCategory(models.Model):
    _name = "helpdesk.ticket.category"
    _inherit = ["helpdesk.ticket.category", "cc.sla.policy.condition"]


class HelpdeskTicketTag(models.Model):
    _name = "helpdesk.ticket.tag"
    _inherit = ["helpdesk.ticket.tag", "cc.sla.policy.condition"]


class ResPartnerCategory(models.Model):
    _name = "res.partner.category"
    _inherit = ["res.partner.category", "cc.sla.policy.condition"]


class CcChannelType(models.Model):
    _name = "cc.channel.type"
    _inherit = ["cc.channel.type", "cc.sla.policy.condition"]

    _cc_sla_rule_fields = ("code",)
