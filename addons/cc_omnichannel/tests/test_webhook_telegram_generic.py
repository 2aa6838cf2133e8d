from odoo.tests import tagged

from .common import WebhookCase


def telegram_update(update_id, chat_id, message_id, text):
    return {
        "update_id": update_id,
        "message": {
            "message_id": message_id,
            "date": 1764480000,
            "text": text,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Jan", "last_name": "Peeters", "username": "janp"},
            "chat": {"id": chat_id, "type": "private", "first_name": "Jan"},
        },
    }


@tagged("post_install", "-at_install")
class TestTelegramWebhook(WebhookCase):
    def test_message_with_secret_token(self):
        response = self.post_telegram(self.telegram, telegram_update(1, 777000111, 55, "Where is my parcel?"))

        self.assertEqual(response.status_code, 200)
        interaction = self.interactions(self.telegram)
        self.assertEqual(interaction.external_id, "777000111:55")
        self.assertEqual(interaction.partner_id.name, "Jan Peeters")
        self.assertEqual(interaction.ticket_id.name, "Where is my parcel?")

    def test_wrong_secret_token_is_refused(self):
        response = self.post_telegram(self.telegram, telegram_update(2, 1, 1, "x"), secret="guess")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.interactions(self.telegram))


@tagged("post_install", "-at_install")
class TestGenericWebhook(WebhookCase):
    def test_signed_batch(self):
        payload = {
            "events": [
                {
                    "id": "chat-1",
                    "type": "message",
                    "from": {"email": " Eva@Example.COM ", "name": "Eva"},
                    "body": "Can I change my plan?",
                },
                {"id": "chat-2", "type": "message", "from": {"phone": "+32 470 55 66 77"}, "body": "Hello"},
            ]
        }
        response = self.post_generic(self.generic, payload)

        self.assertEqual(response.status_code, 200)
        first, second = self.interactions(self.generic)
        self.assertEqual(first.partner_id.email, "eva@example.com")
        self.assertEqual(second.partner_id.phone, "+32470556677")

    def test_invalid_json_is_rejected_with_reason(self):
        response = self.post_generic(self.generic, None, raw=b"{not json")
        self.assertEqual(response.status_code, 400)
        event = self.events(self.generic)
        self.assertEqual((event.state, event.body), ("rejected", "{not json"))

    def test_processing_failure_is_kept_and_replayed_once_fixed(self):
        """A misconfigured channel makes processing fail: the payload stays, failed, until a replay works."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        sales = self.env["crm.team"].create({"name": "Inside Sales", "company_id": self.company.id})
        self.generic.write({"inbound_creates": "lead", "crm_team_id": sales.id})
        sales.company_id = other_company  # someone moves the sales team away

        response = self.post_generic(
            self.generic, {"id": "chat-9", "type": "message", "from": {"email": "lead@example.com"}, "body": "Pricing?"}
        )

        self.assertEqual(response.status_code, 200, "the provider is answered: the payload is safe with us")
        event = self.events(self.generic)
        self.assertEqual(event.state, "failed")
        self.assertTrue(event.error)
        self.assertFalse(self.interactions(self.generic), "a failed payload leaves no half-made records")

        self.generic.crm_team_id = False
        event.with_user(self.supervisor).action_replay()

        self.assertEqual((event.state, event.attempts), ("processed", 2))
        self.assertEqual(self.interactions(self.generic).lead_id.name, "Pricing?")
