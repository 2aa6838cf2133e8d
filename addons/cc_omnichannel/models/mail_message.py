from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # The chatter of tickets and leads in a customer's timeline (cc.timeline.item), newest first: for a customer
    # with many tickets, reading the latest messages and keeping theirs beats reading all their tickets'.
    _cc_timeline_idx = models.Index(
        "(model, date_trunc('second', date), id) WHERE model IN ('helpdesk.ticket', 'crm.lead')"
    )
