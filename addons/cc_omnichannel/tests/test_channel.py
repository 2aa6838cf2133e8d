from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

from .common import ContactCenterCase


@tagged("post_install", "-at_install")
class TestChannel(ContactCenterCase, TransactionCase):
    def test_webhook_url_is_absolute_and_token_regenerates(self):
        base_url = self.env["ir.config_parameter"].get_param("web.base.url")
        url = self.sms.webhook_url
        self.assertTrue(url.startswith(f"{base_url}/cc/webhook/twilio/"))
        self.sms.action_regenerate_token()
        self.assertNotEqual(self.sms.webhook_url, url)
        self.assertGreaterEqual(len(self.sms.webhook_token), 32)

    def test_provider_must_carry_the_channel_type(self):
        with self.assertRaisesRegex(ValidationError, "cannot carry"):
            self.env["cc.channel"].create({"name": "Bad", "channel_type": "telegram", "provider": "twilio"})

    def test_test_button_runs_the_pipeline_and_keeps_nothing(self):
        counts_before = [
            self.env[model].search_count([])
            for model in ("cc.webhook.event", "cc.interaction", "helpdesk.ticket", "res.partner")
        ]

        for channel in (self.sms, self.whatsapp, self.telegram, self.generic, self.voice):
            notification = channel.with_user(self.manager).action_test_webhook()["params"]
            self.assertEqual(notification["type"], "success", f"{channel.name}: {notification['message']}")
            self.assertIn("Signature, parsing and processing work", notification["message"])

        counts_after = [
            self.env[model].search_count([])
            for model in ("cc.webhook.event", "cc.interaction", "helpdesk.ticket", "res.partner")
        ]
        self.assertEqual(counts_after, counts_before)

    def test_test_button_reports_a_missing_secret(self):
        self.sms.signing_secret = False
        notification = self.sms.action_test_webhook()["params"]
        self.assertEqual(notification["type"], "danger")
        self.assertIn("403", notification["message"])
