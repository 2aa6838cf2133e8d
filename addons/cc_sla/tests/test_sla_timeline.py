from odoo.tests import TransactionCase, freeze_time, tagged

from .common import SlaCase, at


@tagged("post_install", "-at_install")
class TestSlaTimeline(SlaCase, TransactionCase):
    """SLA events join the customer's timeline, seen through the ticket and opening it."""

    def test_breach_then_late_answer_are_on_the_customers_timeline(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 11, 30)):
            self.env["cc.sla.timer"]._cron_check_timers()
        with freeze_time(at(0, 11, 40)):
            ticket.with_user(self.agent).message_post(
                body="Sorry for the wait", subtype_xmlid="mail.mt_comment", message_type="comment"
            )

        page = self.env["cc.timeline.item"].timeline_page(self.customer.id, kinds=["sla"])
        items = [(item["title"], item["date"], item["res_model"], item["res_id"]) for item in page["items"]]
        self.assertEqual(
            items,
            [
                ("First response met late", at(0, 11, 40), "helpdesk.ticket", ticket.id),
                ("First response breached", at(0, 11), "helpdesk.ticket", ticket.id),
            ],
        )
        self.assertEqual(page["items"][0]["summary"], f"Ticket {ticket.number}: Printer on fire")
        searched = self.env["cc.timeline.item"].search_read(
            [("partner_id", "=", self.customer.id), ("kind", "=", "sla")], ["title"], order="date desc, id desc"
        )
        self.assertEqual([item["title"] for item in searched], ["First response met late", "First response breached"])

    def test_met_target_and_running_ones(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 10, 20)):
            ticket.with_user(self.agent).message_post(
                body="On it", subtype_xmlid="mail.mt_comment", message_type="comment"
            )

        titles = self.env["cc.timeline.item"].search_read(
            [("partner_id", "=", self.customer.id), ("kind", "=", "sla")], ["title"]
        )
        self.assertEqual([item["title"] for item in titles], ["First response met"], "running timers are no event")
