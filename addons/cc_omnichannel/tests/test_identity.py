import hashlib
import hmac
import json
from urllib.parse import urlencode

from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ContactCenterCase, WebhookCase, twilio_sms, whatsapp_text


@tagged("post_install", "-at_install")
class TestIdentity(ContactCenterCase, TransactionCase):
    """One customer behind every number, id and address they reach us from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Identity = cls.env["cc.identity"]
        cls.Partner = cls.env["res.partner"]

    # --- inbound contacts through the processor, signed as each provider signs -----------------------

    def receive(self, channel, body, headers):
        status, text = (
            self.env["cc.inbound.processor"]
            .sudo()
            .with_context(queue_job__no_delay=True)  # process here, not in a queue job
            .receive(
                channel._as_route(),
                {
                    "method": "POST",
                    "url": channel.webhook_url,
                    "headers": headers,
                    "body": body,
                },
            )
        )
        self.assertEqual((status, text), (200, "ok"))
        event = self.env["cc.webhook.event"].search([("channel_id", "=", channel.id)], limit=1)
        self.assertEqual(event.state, "processed", event.error)
        return event.interaction_ids

    def sms_from(self, sender, sid, body="Hello"):
        from twilio.request_validator import RequestValidator  # noqa: PLC0415 - a test-only dependency

        form = twilio_sms(sid, sender, body)
        signature = RequestValidator(self.sms.signing_secret).compute_signature(self.sms.webhook_url, form)
        return self.receive(
            self.sms,
            urlencode(form).encode(),
            {
                "content-type": "application/x-www-form-urlencoded",
                "x-twilio-signature": signature,
            },
        )

    def whatsapp_from(self, wa_id, message_id, name="Eva", body="Hello"):
        raw = json.dumps(whatsapp_text(wa_id, name, message_id, body)).encode()
        digest = hmac.new(self.whatsapp.signing_secret.encode(), raw, hashlib.sha256).hexdigest()
        return self.receive(
            self.whatsapp,
            raw,
            {
                "content-type": "application/json",
                "x-hub-signature-256": f"sha256={digest}",
            },
        )

    def generic_from(self, sender, event_id, body="Hello"):
        raw = json.dumps({"id": event_id, "type": "message", "from": sender, "body": body}).encode()
        digest = hmac.new(self.generic.signing_secret.encode(), raw, hashlib.sha256).hexdigest()
        return self.receive(
            self.generic,
            raw,
            {
                "content-type": "application/json",
                "x-cc-signature": f"sha256={digest}",
            },
        )

    # --- one person, many channels -----------------------------------------------------------------

    def test_same_person_by_sms_whatsapp_and_email_is_one_partner(self):
        eva = self.Partner.create({"name": "Eva Janssens", "phone": "+32 470 12 34 56", "email": "Eva@Example.com"})
        partners_before = self.Partner.search_count([])

        by_sms = self.sms_from("0470123456", "SM-EVA-1")  # national format, read in the company's country (BE)
        by_whatsapp = self.whatsapp_from("32470123456", "wamid.EVA1")
        by_email = self.generic_from({"email": "eva@example.com", "name": "Eva"}, "chat-eva-1")

        self.assertEqual(by_sms.partner_id, eva)
        self.assertEqual(by_whatsapp.partner_id, eva)
        self.assertEqual(by_email.partner_id, eva)
        self.assertEqual(self.Partner.search_count([]), partners_before, "no partner was created")
        self.assertEqual(
            sorted(eva.cc_identity_ids.mapped(lambda identity: (identity.kind, identity.value))),
            [("email", "eva@example.com"), ("phone", "+32470123456"), ("whatsapp", "+32470123456")],
        )
        self.assertEqual(eva.cc_identity_ids.company_id, self.company)

    def test_known_person_writing_again_on_every_channel_adds_nothing(self):
        eva = self.Partner.create({"name": "Eva Janssens", "phone": "+32 470 12 34 56", "email": "Eva@Example.com"})
        self.sms_from("+32470123456", "SM-EVA-1")
        self.whatsapp_from("32470123456", "wamid.EVA1")
        self.generic_from({"email": "eva@example.com"}, "chat-eva-1")
        identities = eva.cc_identity_ids

        again = (
            self.whatsapp_from("32470123456", "wamid.EVA2")
            | self.sms_from("+32470123456", "SM-EVA-2")
            | self.generic_from({"email": "EVA@example.com"}, "chat-eva-2")
        )

        self.assertEqual(again.partner_id, eva)
        self.assertEqual(self.Identity.search([("partner_id", "=", eva.id)]), identities)

    def test_whatsapp_number_known_by_sms_reaches_the_same_partner(self):
        first = self.sms_from("+32471998877", "SM-NEW-1")

        second = self.whatsapp_from("32471998877", "wamid.NEW1", name="Someone Else")

        self.assertEqual(second.partner_id, first.partner_id)
        self.assertEqual(sorted(first.partner_id.cc_identity_ids.mapped("kind")), ["phone", "whatsapp"])

    # --- unknown senders ---------------------------------------------------------------------------

    def test_unknown_sender_gets_one_partner_reused_on_the_next_contact(self):
        partners_before = self.Partner.search_count([])

        first = self.sms_from("+32471998877", "SM-NEW-1", "Do you deliver to Gent?")
        second = self.sms_from("+32471998877", "SM-NEW-2", "And to Brugge?")

        self.assertEqual(self.Partner.search_count([]), partners_before + 1)
        partner = first.partner_id
        self.assertEqual(second.partner_id, partner)
        self.assertEqual(partner.phone, "+32471998877")
        self.assertEqual(partner.cc_identity_ids.mapped(lambda i: (i.kind, i.value)), [("phone", "+32471998877")])

    def test_email_of_unknown_sender_is_stored_lower_cased_once(self):
        first = self.generic_from({"email": " New.Customer@Example.COM ", "name": "New Customer"}, "chat-n1")
        second = self.generic_from({"email": "new.customer@example.com"}, "chat-n2")

        self.assertEqual(second.partner_id, first.partner_id)
        self.assertEqual(first.partner_id.name, "New Customer")
        self.assertEqual(first.partner_id.cc_identity_ids.value, "new.customer@example.com")

    # --- the identity records themselves -------------------------------------------------------------

    def test_identity_is_unique_per_company_kind_and_value(self):
        eva = self.Partner.create({"name": "Eva"})
        other = self.Partner.create({"name": "Someone else"})
        self.Identity.create({"partner_id": eva.id, "kind": "phone", "value": "+32 470 12 34 56"})

        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Identity.create({"partner_id": other.id, "kind": "phone", "value": "0470/12.34.56"})

        # Another kind, or another company, is another identity.
        self.Identity.create({"partner_id": eva.id, "kind": "whatsapp", "value": "32470123456"})
        other_company = self.env["res.company"].create({"name": "Other Co", "country_id": self.company.country_id.id})
        self.Identity.create(
            {"partner_id": other.id, "kind": "phone", "value": "0470123456", "company_id": other_company.id}
        )
        self.assertEqual(self.Identity.search_count([("value", "=", "+32470123456")]), 3)

    def test_invalid_phone_number_is_refused_with_a_clear_message(self):
        eva = self.Partner.create({"name": "Eva"})

        with self.assertRaises(ValidationError) as raised:
            self.Identity.create({"partner_id": eva.id, "kind": "phone", "value": "12345"})

        self.assertEqual(str(raised.exception), "12345 is not a valid Phone.")
        with self.assertRaisesRegex(ValidationError, r"^eva\(at\)example is not a valid Email\.$"):
            self.Identity.create({"partner_id": eva.id, "kind": "email", "value": "eva(at)example"})
        self.assertFalse(eva.cc_identity_ids)

    def test_identity_value_is_normalised_on_write(self):
        identity = self.Identity.create(
            {"partner_id": self.Partner.create({"name": "Eva"}).id, "kind": "phone", "value": "+32470123456"}
        )

        identity.value = "0471 99 88 77"

        self.assertEqual(identity.value, "+32471998877")
        with self.assertRaises(ValidationError):
            identity.value = "not a number"

    def test_resolving_a_known_identity_is_one_indexed_lookup(self):
        eva = self.Partner.create({"name": "Eva", "phone": "+32470123456"})
        self.assertEqual(self.Identity.resolve_partner("phone", "+32470123456", self.company), eva)
        self.assertEqual(self.Identity.resolve_partner("whatsapp", "32470123456", self.company), eva)
        self.Partner.create([{"name": f"Noise {index}", "phone": f"+3247100{index:04d}"} for index in range(50)])
        self.env.flush_all()

        for kind, raw in (("phone", "0470 12 34 56"), ("whatsapp", "32470123456")):
            with self.subTest(kind=kind):
                self.env.invalidate_all()
                self.company.country_id.code  # noqa: B018 - the caller has its company loaded
                # 1 search on (company_id, kind, value), 1 read of the identity found
                with self.assertQueryCount(2):
                    partner = self.Identity.resolve_partner(kind, raw, self.company)
                self.assertEqual(partner, eva)


@tagged("post_install", "-at_install")
class TestIdentityMerge(WebhookCase):
    def test_agent_merges_a_telegram_account_into_the_known_customer(self):
        known = self.env["res.partner"].create({"name": "Jan Peeters", "phone": "+32470123123"})
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1764480000,
                "text": "Hi, it's Jan",
                "from": {"id": 4242, "first_name": "Jan"},
                "chat": {"id": 4242},
            },
        }
        self.post_telegram(self.telegram, update)
        stranger = self.interactions(self.telegram).partner_id
        self.assertNotEqual(stranger, known, "a Telegram account cannot be matched to a phone number")

        wizard = (
            self.env["cc.identity.merge.wizard"]
            .with_user(self.agent)
            .create({"source_partner_id": stranger.id, "target_partner_id": known.id})
        )
        wizard.action_merge()

        self.assertEqual(known.cc_identity_ids.mapped("kind"), ["telegram"])
        self.assertEqual(self.interactions(self.telegram).partner_id, known)
        self.assertFalse(stranger.active)
        update = {
            "update_id": 2,
            "message": {
                "message_id": 2,
                "date": 1764480100,
                "text": "Any news?",
                "from": {"id": 4242, "first_name": "Jan"},
                "chat": {"id": 4242},
            },
        }
        self.post_telegram(self.telegram, update)
        self.assertEqual(self.interactions(self.telegram).partner_id, known, "the next message reaches Jan")
