from odoo.tests import tagged

from .common import WebhookCase, twilio_sms


@tagged("post_install", "-at_install")
class TestTwilioWebhook(WebhookCase):
    def test_signed_sms_becomes_ticket_for_customer(self):
        """A customer texts the support line: one interaction, a new customer, a ticket routed to an agent."""
        response = self.post_twilio(self.sms, twilio_sms("SM001", "+32470123456", "My router is down\nsince 8am"))

        self.assertEqual(response.status_code, 200)
        interaction = self.interactions(self.sms)
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.direction, "inbound")
        self.assertEqual(interaction.external_id, "SM001")
        self.assertEqual(interaction.body, "My router is down\nsince 8am")
        self.assertEqual(interaction.partner_id.phone, "+32470123456")
        self.assertEqual(interaction.partner_id.cc_identity_ids.mapped("value"), ["+32470123456"])
        ticket = interaction.ticket_id
        self.assertEqual(ticket.name, "My router is down")
        self.assertEqual(ticket.partner_id, interaction.partner_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.cc_channel_id, self.sms)
        self.assertIn(ticket.user_id, self.agent | self.agent_2)
        self.assertEqual(interaction.user_id, ticket.user_id)
        self.assertEqual(interaction.state, "queued")
        self.assertEqual(self.events(self.sms).state, "processed")

    def test_bad_and_missing_signatures_are_refused_and_kept(self):
        form = twilio_sms("SM002", "+32470123456", "hello")
        forged = self.post_twilio(self.sms, form, signature="bm90IGEgc2lnbmF0dXJl")
        unsigned = self.post_twilio(self.sms, form, signature="")
        tampered = dict(form, Body="hello, tampered")
        from twilio.request_validator import RequestValidator  # noqa: PLC0415

        signature_of_original = RequestValidator("twilio-auth-token").compute_signature(self.sms.webhook_url, form)
        replayed = self.post_twilio(self.sms, tampered, signature=signature_of_original)

        self.assertEqual([forged.status_code, unsigned.status_code, replayed.status_code], [403, 403, 403])
        self.assertFalse(self.interactions(self.sms))
        events = self.events(self.sms)
        self.assertEqual(events.mapped("state"), ["rejected"] * 3)
        self.assertEqual(set(events.mapped("error")), {"missing or invalid signature"})
        self.assertIn("Body=hello%2C+tampered", events[2].body)

    def test_redelivered_message_makes_no_second_interaction(self):
        form = twilio_sms("SM003", "+32470123456", "Are you open on Sunday?")
        first = self.post_twilio(self.sms, form)
        again = self.post_twilio(self.sms, form)

        self.assertEqual([first.status_code, again.status_code], [200, 200])
        self.assertEqual(len(self.interactions(self.sms)), 1)
        self.assertEqual(len(self.env["helpdesk.ticket"].search([("cc_channel_id", "=", self.sms.id)])), 1)
        self.assertEqual(self.events(self.sms).mapped("state"), ["processed", "processed"])

    def test_malformed_body_gets_400_with_reason_and_is_kept(self):
        form = {"From": "+32470123456", "Body": "no message id"}
        response = self.post_twilio(self.sms, form)

        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.text, "'MessageSid' is required")
        event = self.events(self.sms)
        self.assertEqual((event.state, event.error), ("rejected", "'MessageSid' is required"))
        self.assertIn("no+message+id", event.body)

    def test_second_message_threads_into_the_open_ticket(self):
        self.post_twilio(self.sms, twilio_sms("SM010", "+32470123456", "Printer jammed"))
        self.post_twilio(self.sms, twilio_sms("SM011", "0470 12 34 56", "It is the one on floor 2"))

        first, second = self.interactions(self.sms)
        self.assertEqual(second.partner_id, first.partner_id, "a national number reaches the same customer")
        self.assertEqual(second.ticket_id, first.ticket_id)
        self.assertIn("It is the one on floor 2", first.ticket_id.message_ids[0].body)

    def test_voice_callbacks_follow_one_call(self):
        """Twilio's status callbacks for one CallSid move one interaction from ringing to completed."""
        call = {
            "CallSid": "CA100",
            "AccountSid": "AC123",
            "From": "+32470999888",
            "To": "+3225550000",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
        }
        for status, extra in (("ringing", {}), ("in-progress", {}), ("completed", {"CallDuration": "184"})):
            response = self.post_twilio(self.voice, {**call, "CallStatus": status, **extra})
            self.assertEqual(response.status_code, 200)

        interaction = self.interactions(self.voice)
        self.assertEqual(len(interaction), 1)
        self.assertEqual(interaction.state, "done")
        self.assertEqual(interaction.talk_seconds, 184)
        self.assertTrue(interaction.answered_at and interaction.ended_at)
        self.assertFalse(interaction.ticket_id, "this voice line only records interactions")

    def test_unanswered_call_is_missed(self):
        call = {"CallSid": "CA200", "From": "+32470999888", "To": "+3225550000", "Direction": "inbound"}
        self.post_twilio(self.voice, {**call, "CallStatus": "ringing"})
        self.post_twilio(self.voice, {**call, "CallStatus": "no-answer"})
        self.assertEqual(self.interactions(self.voice).state, "missed")

    def test_unknown_token_is_not_found(self):
        response = self.url_open("/cc/webhook/twilio/not-a-token", data={"Body": "x"}, timeout=30)
        self.assertEqual(response.status_code, 404)

    def test_channel_edits_apply_to_the_next_webhook(self):
        """Webhooks read their channel from a cache: a new secret, token or an archive must reach it at once."""
        from twilio.request_validator import RequestValidator  # noqa: PLC0415

        self.assertEqual(self.post_twilio(self.sms, twilio_sms("SM101", "+32470123456", "one")).status_code, 200)
        form = twilio_sms("SM102", "+32470123456", "two")
        signed_with_old_secret = RequestValidator(self.sms.signing_secret).compute_signature(self.sms.webhook_url, form)

        self.sms.signing_secret = "rotated-auth-token"
        self.assertEqual(self.post_twilio(self.sms, form, signature=signed_with_old_secret).status_code, 403)
        self.assertEqual(self.post_twilio(self.sms, form).status_code, 200)

        old_url = self.sms.webhook_url
        self.sms.action_regenerate_token()
        self.assertEqual(self.url_open(old_url, data={"Body": "x"}, timeout=30).status_code, 404)
        self.assertEqual(self.post_twilio(self.sms, twilio_sms("SM103", "+32470123456", "three")).status_code, 200)

        self.sms.active = False
        self.assertEqual(self.post_twilio(self.sms, twilio_sms("SM104", "+32470123456", "four")).status_code, 404)
        self.assertEqual(len(self.interactions(self.sms)), 3)
