from markupsafe import Markup

from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import WebhookCase, basic_auth, twilio_sms, whatsapp_text
from .fake_provider import FakeProvider, closed_port

TWILIO_SID = "SM5e1f1b1d9c4a4f0e8a3b6c7d8e9f0a1b"


def twilio_accepted(sid=TWILIO_SID, to="+32470123456", body=""):
    """Twilio's 201 answer to a Messages.json create, as its API documents it."""
    return {
        "sid": sid,
        "account_sid": "AC123",
        "to": to,
        "from": "+3225550000",
        "body": body,
        "status": "queued",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "num_segments": "1",
        "uri": f"/2010-04-01/Accounts/AC123/Messages/{sid}.json",
    }


TWILIO_SERVER_ERROR = {"code": 20500, "message": "Internal Server Error", "status": 500}
TWILIO_INVALID_TO = {
    "code": 21211,
    "message": "The 'To' number is not a valid phone number.",
    "more_info": "https://www.twilio.com/docs/errors/21211",
    "status": 400,
}


def telegram_update(update_id, chat_id, message_id, text):
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1764480000,
            "text": text,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Jan", "last_name": "Peeters"},
            "chat": {"id": chat_id, "type": "private", "first_name": "Jan"},
        },
    }


def whatsapp_status(message_id, status, errors=None, recipient="32470123456"):
    """A WhatsApp Cloud API `statuses` webhook about a message we sent."""
    item = {"id": message_id, "status": status, "timestamp": "1764480100", "recipient_id": recipient}
    if errors:
        item["errors"] = errors
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {"display_phone_number": "3225550001", "phone_number_id": "106540352242922"},
                            "statuses": [item],
                        },
                    }
                ],
            }
        ],
    }


@tagged("post_install", "-at_install")
class TestOutbound(WebhookCase):
    """An agent's public reply on a ticket goes back to the customer through the channel they used."""

    def start_provider(self, channel, *script, path=""):
        provider = FakeProvider(script)
        self.addCleanup(provider.stop)
        channel.api_base_url = provider.url + path
        return provider

    def inbound_ticket(self, response, channel, external_id):
        self.assertEqual(response.status_code, 200)
        interaction = self.env["cc.interaction"].search(
            [("channel_id", "=", channel.id), ("external_id", "=", external_id)]
        )
        self.assertTrue(interaction.ticket_id, "the inbound contact opened a ticket")
        return interaction.ticket_id

    def sms_ticket(self, sid="SM100", sender="+32470123456", body="My router is down"):
        return self.inbound_ticket(self.post_twilio(self.sms, twilio_sms(sid, sender, body)), self.sms, sid)

    def reply(self, ticket, text, subtype_xmlid="mail.mt_comment"):
        return ticket.with_user(self.agent).message_post(
            body=Markup("<p>%s</p>") % text, message_type="comment", subtype_xmlid=subtype_xmlid
        )

    def outbound(self, channel):
        return self.env["cc.interaction"].search(
            [("channel_id", "=", channel.id), ("direction", "=", "outbound")], order="id"
        )

    # --- Twilio SMS --------------------------------------------------------------------------------

    def test_sms_reply_is_the_request_twilio_expects(self):
        provider = self.start_provider(self.sms, (201, twilio_accepted(body="Your router was reset.")))
        ticket = self.sms_ticket()

        self.reply(ticket, "Your router was reset.")

        self.assertEqual(len(provider.requests), 1)
        sent = provider.requests[0]
        self.assertEqual((sent.method, sent.path), ("POST", "/2010-04-01/Accounts/AC123/Messages.json"))
        self.assertEqual(sent.headers["authorization"], basic_auth("AC123", "twilio-auth-token"))
        self.assertEqual(sent.headers["content-type"], "application/x-www-form-urlencoded")
        self.assertEqual(
            sent.form(),
            {
                "To": "+32470123456",
                "From": "+3225550000",
                "Body": "Your router was reset.",
                "StatusCallback": self.sms.webhook_url,
            },
        )
        interaction = self.outbound(self.sms)
        self.assertRecordValues(
            interaction,
            [
                {
                    "direction": "outbound",
                    "external_id": TWILIO_SID,
                    "delivery_status": "sent",
                    "state": "done",
                    "ticket_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "user_id": self.agent.id,
                    "address": "+32470123456",
                    "body": "Your router was reset.",
                }
            ],
        )
        self.assertFalse(ticket.cc_reply_error)

    def test_internal_note_sends_nothing(self):
        provider = self.start_provider(self.sms, (201, twilio_accepted()))
        ticket = self.sms_ticket()

        self.reply(ticket, "Customer sounds upset, escalate if it happens again.", "mail.mt_note")

        self.assertEqual(provider.requests, [])
        self.assertFalse(self.outbound(self.sms))

    def test_reply_on_ticket_without_a_messaging_contact_sends_nothing(self):
        provider = self.start_provider(self.sms, (201, twilio_accepted()))
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Opened by hand",
                "description": "no channel",
                "team_id": self.team.id,
                "partner_id": self.env["res.partner"].create({"name": "Walk-in", "phone": "+32470123456"}).id,
            }
        )

        self.reply(ticket, "We will call you back.")

        self.assertEqual(provider.requests, [])
        self.assertFalse(self.env["cc.interaction"].search([("ticket_id", "=", ticket.id)]))

    def test_server_error_is_retried_then_succeeds(self):
        provider = self.start_provider(self.sms, (500, TWILIO_SERVER_ERROR), (201, twilio_accepted()))
        ticket = self.sms_ticket()

        self.reply(ticket, "Back online?")

        self.assertEqual(len(provider.requests), 2)
        self.assertEqual(provider.requests[0].form(), provider.requests[1].form(), "the same message, resent")
        interaction = self.outbound(self.sms)
        self.assertEqual((interaction.state, interaction.delivery_status), ("done", "sent"))
        self.assertEqual(interaction.external_id, TWILIO_SID)
        self.assertFalse(ticket.cc_reply_error)

    def test_provider_down_gives_up_after_three_attempts(self):
        provider = self.start_provider(self.sms, *[(503, {"code": 20503, "message": "Service Unavailable"})] * 4)
        ticket = self.sms_ticket()

        self.reply(ticket, "Are you there?")

        self.assertEqual(len(provider.requests), 3)
        interaction = self.outbound(self.sms)
        self.assertEqual((interaction.state, interaction.delivery_status), ("failed", "failed"))
        self.assertEqual(interaction.error, "gave up after 3 attempts, last: HTTP 503: Service Unavailable")
        self.assertEqual(ticket.cc_reply_error, interaction.error)

    def test_network_error_gives_up_and_fails_the_reply(self):
        ticket = self.sms_ticket()
        self.sms.api_base_url = f"http://127.0.0.1:{closed_port()}"

        self.reply(ticket, "Hello?")

        interaction = self.outbound(self.sms)
        self.assertEqual((interaction.state, interaction.delivery_status), ("failed", "failed"))
        self.assertFalse(interaction.external_id)
        self.assertEqual(interaction.error, "gave up after 3 attempts, last: network error: ConnectionError")
        self.assertEqual(ticket.cc_reply_error, interaction.error)

    def test_rejected_reply_is_not_retried_and_shows_on_the_ticket(self):
        provider = self.start_provider(self.sms, (400, TWILIO_INVALID_TO), (201, twilio_accepted()))
        ticket = self.sms_ticket()

        self.reply(ticket, "Your parcel left the depot.")

        self.assertEqual(len(provider.requests), 1, "a 4xx is final: no retry")
        interaction = self.outbound(self.sms)
        error = "HTTP 400: The 'To' number is not a valid phone number."
        self.assertRecordValues(
            interaction,
            [
                {
                    "state": "failed",
                    "delivery_status": "failed",
                    "error": error,
                    "external_id": False,
                    "ticket_id": ticket.id,
                }
            ],
        )
        self.assertEqual(ticket.cc_reply_error, error)
        notes = ticket.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note"))
        self.assertEqual(len(notes), 1)
        self.assertIn("not delivered through SMS", html2plaintext(notes.body))
        self.assertIn("The 'To' number is not a valid phone number.", html2plaintext(notes.body))
        self.assertEqual(len(provider.requests), 1, "the failure note itself is not sent to the customer")

        self.reply(ticket, "Your parcel left the depot (second try).")

        self.assertEqual(len(provider.requests), 2)
        self.assertEqual(self.outbound(self.sms)[1].delivery_status, "sent")
        self.assertFalse(ticket.cc_reply_error, "a delivered reply clears the warning")

    # --- WhatsApp Cloud API and Telegram -----------------------------------------------------------

    def test_whatsapp_reply_through_meta_cloud_api(self):
        provider = self.start_provider(
            self.whatsapp,
            (
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": "32470123456", "wa_id": "32470123456"}],
                    "messages": [{"id": "wamid.HBgLMzI0NzAxMjM0NTYVAgARGBI"}],
                },
            ),
            path="/v21.0",
        )
        response = self.post_meta(self.whatsapp, whatsapp_text("32470123456", "Chloé", "wamid.IN1", "Bonjour !"))
        ticket = self.inbound_ticket(response, self.whatsapp, "wamid.IN1")

        self.reply(ticket, "Bonjour Chloé, how can we help?")

        self.assertEqual(len(provider.requests), 1)
        sent = provider.requests[0]
        self.assertEqual((sent.method, sent.path), ("POST", "/v21.0/106540352242922/messages"))
        self.assertEqual(sent.headers["authorization"], "Bearer meta-access-token")
        self.assertEqual(sent.headers["content-type"], "application/json")
        self.assertEqual(
            sent.json(),
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "32470123456",
                "type": "text",
                "text": {"preview_url": False, "body": "Bonjour Chloé, how can we help?"},
            },
        )
        interaction = self.outbound(self.whatsapp)
        self.assertRecordValues(
            interaction,
            [{"external_id": "wamid.HBgLMzI0NzAxMjM0NTYVAgARGBI", "delivery_status": "sent", "ticket_id": ticket.id}],
        )

    def test_telegram_reply_through_bot_api(self):
        provider = self.start_provider(
            self.telegram,
            (
                200,
                {
                    "ok": True,
                    "result": {
                        "message_id": 9,
                        "date": 1764480100,
                        "text": "Your parcel is on its way.",
                        "from": {"id": 123456, "is_bot": True, "first_name": "Support"},
                        "chat": {"id": 777000111, "type": "private", "first_name": "Jan"},
                    },
                },
            ),
        )
        response = self.post_telegram(self.telegram, telegram_update(1, 777000111, 55, "Where is my parcel?"))
        ticket = self.inbound_ticket(response, self.telegram, "777000111:55")

        self.reply(ticket, "Your parcel is on its way.")

        self.assertEqual(len(provider.requests), 1)
        sent = provider.requests[0]
        self.assertEqual((sent.method, sent.path), ("POST", "/bot123456:ABC-DEF/sendMessage"))
        body = sent.json()
        self.assertEqual(sorted(body), ["chat_id", "text"])
        self.assertEqual((str(body["chat_id"]), body["text"]), ("777000111", "Your parcel is on its way."))
        self.assertRecordValues(
            self.outbound(self.telegram), [{"external_id": "777000111:9", "delivery_status": "sent"}]
        )

    # --- delivery reports --------------------------------------------------------------------------

    def test_twilio_status_callback_marks_the_reply_delivered(self):
        self.start_provider(self.sms, (201, twilio_accepted()))
        ticket = self.sms_ticket()
        self.reply(ticket, "Fixed on our side.")
        interaction = self.outbound(self.sms)
        self.assertEqual(interaction.delivery_status, "sent")

        response = self.post_twilio(
            self.sms,
            {
                "MessageSid": TWILIO_SID,
                "SmsSid": TWILIO_SID,
                "AccountSid": "AC123",
                "From": "+3225550000",
                "To": "+32470123456",
                "MessageStatus": "delivered",
                "ApiVersion": "2010-04-01",
            },
        )

        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(interaction.delivery_status, "delivered")
        self.assertEqual(interaction.state, "done")
        self.assertFalse(ticket.cc_reply_error)

    def test_whatsapp_failed_status_fails_the_reply_and_warns_on_ticket(self):
        self.start_provider(self.whatsapp, (200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.OUT7"}]}))
        response = self.post_meta(self.whatsapp, whatsapp_text("32470123456", "Chloé", "wamid.IN7", "Allô ?"))
        ticket = self.inbound_ticket(response, self.whatsapp, "wamid.IN7")
        self.reply(ticket, "We are looking into it.")
        interaction = self.outbound(self.whatsapp)
        self.assertEqual(interaction.delivery_status, "sent")

        response = self.post_meta(
            self.whatsapp,
            whatsapp_status(
                "wamid.OUT7",
                "failed",
                errors=[
                    {
                        "code": 131047,
                        "title": "Re-engagement message",
                        "message": "Re-engagement message",
                        "error_data": {"details": "Message failed to send because more than 24 hours have passed"},
                    }
                ],
            ),
        )

        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertRecordValues(
            interaction, [{"delivery_status": "failed", "state": "failed", "error": "131047: Re-engagement message"}]
        )
        self.assertEqual(ticket.cc_reply_error, "131047: Re-engagement message")
