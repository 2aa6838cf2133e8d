from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    cc_survey_ids = fields.One2many("cc.survey", "ticket_id", string="Surveys")

    # FCR reads the tickets resolved in a period.
    _cc_closed_date_idx = models.Index("(closed_date) WHERE closed_date IS NOT NULL")
    # What the KPI refresh reads: only the tickets written since the last one.
    _cc_write_date_idx = models.Index("(write_date)")

    def write(self, vals):
        were_open = self.filtered(lambda ticket: not ticket.closed) if "stage_id" in vals else self.browse()
        result = super().write(vals)
        self.env["cc.survey"].sudo().queue_for_tickets(were_open.filtered("closed"))  # sudo: surveys are system mail
        return result
