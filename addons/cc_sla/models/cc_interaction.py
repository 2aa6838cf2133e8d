from odoo import api, models


class CcInteraction(models.Model):
    _inherit = "cc.interaction"

    @api.model_create_multi
    def create(self, vals_list):
        interactions = super().create(vals_list)
        interactions._cc_sla_notify_tickets()
        return interactions

    def write(self, vals):
        result = super().write(vals)
        if vals.get("ticket_id"):
            self._cc_sla_notify_tickets()
        return result

    def _cc_sla_notify_tickets(self):
        """An outbound contact answers the customer; an inbound one joining a ticket asks for a next answer."""
        linked = self.filtered("ticket_id")
        linked.filtered(lambda i: i.direction == "outbound").ticket_id.cc_sla_agent_responded()
        # The contact that opened a ticket finds its first response still due: only later ones start a next one.
        linked.filtered(lambda i: i.direction == "inbound").ticket_id.cc_sla_customer_wrote()
