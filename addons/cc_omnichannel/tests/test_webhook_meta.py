from odoo.tests import tagged

from .common import WebhookCase, whatsapp_text


@tagged("post_install", "-at_install")
class TestMetaWebhook(WebhookCase):
    def test_subscription_handshake(self):
        path = self.whatsapp.webhook_url.split("://", 1)[1].split("/", 1)[1]
        good = self.url_open(f"/{path}?hub.mode=subscribe&hub.verify_token=meta-verify&hub.challenge=1158201444")
        bad = self.url_open(f"/{path}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")

        self.assertEqual((good.status_code, good.text), (200, "1158201444"))
        self.assertEqual(bad.status_code, 403)

    def test_whatsapp_message_with_meta_signature(self):
        response = self.post_meta(self.whatsapp, whatsapp_text("32470123456", "Chloé", "wamid.HBgL1", "Bonjour !"))

        self.assertEqual(response.status_code, 200)
        interaction = self.interactions(self.whatsapp)
        self.assertEqual((interaction.external_id, interaction.body), ("wamid.HBgL1", "Bonjour !"))
        self.assertEqual(interaction.partner_id.name, "Chloé")
        self.assertEqual(interaction.partner_id.cc_identity_ids.mapped("value"), ["+32470123456"])
        self.assertTrue(interaction.ticket_id)

    def test_signature_with_another_secret_is_refused(self):
        response = self.post_meta(self.whatsapp, whatsapp_text("32470123456", "X", "wamid.2", "hi"), secret="wrong")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(self.interactions(self.whatsapp))
        self.assertEqual(self.events(self.whatsapp).state, "rejected")

    def test_unknown_object_is_rejected_with_reason(self):
        response = self.post_meta(self.whatsapp, {"object": "page_feed", "entry": []})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.events(self.whatsapp).state, "rejected")
        self.assertTrue(response.text)
