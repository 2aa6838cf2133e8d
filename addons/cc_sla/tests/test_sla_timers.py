from odoo.tests import TransactionCase, freeze_time, tagged

from .common import SlaCase, at


@tagged("post_install", "-at_install")
class TestSlaTimers(SlaCase, TransactionCase):
    def test_new_ticket_gets_deadlines_in_business_hours(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()

        self.assertEqual(ticket.cc_sla_policy_id, self.standard)
        first, resolution = self.timer(ticket, "first_response"), self.timer(ticket, "resolution")
        self.assertEqual(first.deadline, at(0, 11))
        self.assertEqual(first.at_risk_at, at(0, 10, 45))  # 75% of 60 working minutes
        # 480 working minutes from Monday 10:00: 7 h on Monday (10-17), 1 h on Tuesday (9-10).
        self.assertEqual(resolution.deadline, at(1, 10))
        self.assertEqual(resolution.at_risk_at, at(0, 16))  # 360 minutes
        self.assertEqual((ticket.cc_sla_state, ticket.cc_sla_deadline), ("running", at(0, 11)))
        self.assertFalse(self.timer(ticket, "next_response"), "a next response is due only once answered")

    def test_friday_evening_ticket_is_due_monday_morning(self):
        with freeze_time(at(4, 16, 30)):
            ticket = self.create_ticket()
        # 30 minutes on Friday, the other 30 on Monday 7 December.
        self.assertEqual(self.timer(ticket, "first_response").deadline.isoformat(), "2026-12-07T09:30:00")

    def test_agent_reply_meets_first_response_but_a_note_does_not(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 10, 20)):
            ticket.with_user(self.agent).message_post(
                body="Checking internally", subtype_xmlid="mail.mt_note", message_type="comment"
            )
            self.assertEqual(self.timer(ticket, "first_response").state, "running")
            ticket.with_user(self.agent).message_post(
                body="We are on it", subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        first = self.timer(ticket, "first_response")
        self.assertEqual((first.state, first.reached_at), ("met", at(0, 10, 20)))
        self.assertEqual(self.timer(ticket, "resolution").state, "running")

    def test_late_reply_is_met_late(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 11, 30)):
            self.env["cc.sla.timer"]._cron_check_timers()
            self.assertEqual(ticket.cc_sla_state, "breached")
            ticket.with_user(self.agent).message_post(
                body="Sorry for the wait", subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        self.assertEqual(self.timer(ticket, "first_response").state, "met_late")

    def test_customer_message_after_an_answer_starts_next_response(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 10, 30)):
            ticket.with_user(self.agent).message_post(
                body="Try rebooting", subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        with freeze_time(at(0, 16)):
            ticket.message_post(
                body="Still broken", author_id=self.customer.id, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        next_response = self.timer(ticket, "next_response")
        # 120 working minutes from Monday 16:00: one hour on Monday, one on Tuesday.
        self.assertEqual((next_response.start_at, next_response.deadline), (at(0, 16), at(1, 10)))
        with freeze_time(at(1, 9, 15)):
            ticket.with_user(self.agent).message_post(
                body="Sending a technician", subtype_xmlid="mail.mt_comment", message_type="comment"
            )
        self.assertEqual(next_response.state, "met")

    def test_pause_moves_the_deadline_by_the_working_time_paused(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 11)):
            ticket.stage_id = self.stage_awaiting
        resolution = self.timer(ticket, "resolution")
        self.assertEqual(resolution.state, "paused")
        self.assertFalse(ticket.cc_sla_deadline, "no deadline counts while waiting on the customer")
        with freeze_time(at(1, 11)):
            ticket.stage_id = self.stage_in_progress
        # Paused Monday 11-17 and Tuesday 9-11: 8 working hours, so Tuesday 10:00 becomes Wednesday 10:00.
        self.assertEqual(resolution.paused_seconds, 8 * 3600)
        self.assertEqual((resolution.state, resolution.deadline), ("running", at(2, 10)))

    def test_reopened_ticket_resumes_instead_of_breaching(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 12)):
            ticket.stage_id = self.stage_done
        resolution = self.timer(ticket, "resolution")
        self.assertEqual((resolution.state, resolution.reached_at), ("met", at(0, 12)))
        with freeze_time(at(2, 12)):
            ticket.stage_id = self.stage_in_progress
            self.env["cc.sla.timer"]._cron_check_timers()
        # Closed for Monday 12-17, Tuesday 9-17 and Wednesday 9-12: 16 working hours added.
        self.assertEqual(resolution.paused_seconds, 16 * 3600)
        self.assertEqual((resolution.state, resolution.deadline), ("running", at(3, 10)))
        self.assertEqual(ticket.cc_sla_state, "running")

    def test_priority_change_recomputes_from_the_tickets_history(self):
        with freeze_time(at(0, 10)):
            ticket = self.create_ticket()
        with freeze_time(at(0, 13)):
            ticket.priority = "3"
        self.assertEqual(ticket.cc_sla_policy_id, self.urgent)
        resolution = self.timer(ticket, "resolution")
        # The urgent policy allows 120 minutes from the ticket's start at 10:00: due at 12:00, so breached.
        self.assertEqual((resolution.target_minutes, resolution.deadline), (120, at(0, 12)))
        self.assertEqual(resolution.state, "breached")
        self.assertEqual(ticket.cc_sla_state, "breached")
        self.assertEqual(len(ticket.cc_sla_timer_ids), 2, "the urgent policy has no next response target")

    def test_scheduled_job_moves_timers_to_at_risk_then_breached(self):
        with freeze_time(at(0, 10)):
            tickets = self.create_ticket() | self.create_ticket(name="Second")
        with freeze_time(at(0, 10, 50)):
            self.env["cc.sla.timer"]._cron_check_timers()
            self.assertEqual(tickets.mapped("cc_sla_state"), ["at_risk", "at_risk"])
            self.assertEqual(
                self.env["helpdesk.ticket"].search_count([("id", "in", tickets.ids), ("cc_sla_state", "=", "at_risk")]),
                2,
                "the state is searchable",
            )
        with freeze_time(at(0, 11, 1)):
            self.env["cc.sla.timer"]._cron_check_timers()
        self.assertEqual(tickets.mapped("cc_sla_state"), ["breached", "breached"])
        self.assertEqual(self.timer(tickets[0], "resolution").state, "running")

    def test_ticket_from_an_inbound_sms_gets_timers(self):
        channel = self.sms_channel()
        event = self.env["cc.webhook.event"].create(
            {
                "channel_id": channel.id,
                "provider": "generic",
                "body": '{"id": "m1", "type": "message", "from": {"phone": "+32470000001"}, "body": "Help"}',
            }
        )
        with freeze_time(at(0, 10)):
            self.env["cc.inbound.processor"].process_event(event)
        ticket = event.interaction_ids.ticket_id
        self.assertEqual(self.timer(ticket, "first_response").deadline, at(0, 11))
