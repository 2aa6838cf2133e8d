from odoo.tests import TransactionCase, tagged

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestWebhookEventStore(ContactCenterCase, TransactionCase):
    def test_insert_stores_what_create_would(self):
        """Webhooks store their payload with one INSERT; a field added to the model must not be forgotten."""
        Event = self.env["cc.webhook.event"]
        vals = {
            "channel_id": self.sms.id,
            "company_id": self.sms.company_id.id,
            "provider": "twilio",
            "http_method": "POST",
            "url": self.sms.webhook_url,
            "content_type": "application/x-www-form-urlencoded",
            "headers": '{"X-Twilio-Signature": "abc"}',
            "body": "MessageSid=SM1&Body=Hello",
        }
        inserted = Event._insert_received(vals)
        created = Event.create(vals)

        timestamps = {"id", "received_at", "create_date", "write_date"}
        stored = [name for name, field in Event._fields.items() if field.store and name not in timestamps]
        self.assertEqual(inserted.read(stored)[0] | {"id": 0}, created.read(stored)[0] | {"id": 0})
        self.assertEqual(inserted.state, "received")
        self.assertEqual(inserted.received_at, inserted.create_date)
        self.assertEqual(inserted.create_uid, self.env.user)
