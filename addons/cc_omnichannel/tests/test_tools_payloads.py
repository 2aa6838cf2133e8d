import copy
import json
from datetime import datetime
from urllib.parse import parse_qs, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_omnichannel.tools.payloads import (
    InboundEvent,
    PayloadError,
    load_json,
    parse_generic,
    parse_meta,
    parse_telegram,
    parse_twilio_call,
    parse_twilio_message,
)

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"

# Shapes follow Twilio's "request to your incoming message webhook URL" and status callback docs.
TWILIO_SMS = {
    "ToCountry": "US",
    "ToState": "CA",
    "SmsMessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "NumMedia": "0",
    "ToCity": "",
    "FromZip": "94105",
    "SmsSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "FromState": "CA",
    "SmsStatus": "received",
    "FromCity": "SAN FRANCISCO",
    "Body": "Is my order 4512 on its way?",
    "FromCountry": "US",
    "To": "+14155238886",
    "ToZip": "",
    "NumSegments": "1",
    "MessageSid": "SM1f0e8ae6ade43cb3c0ce4525424e404f",
    "AccountSid": ACCOUNT_SID,
    "From": "+14155550100",
    "ApiVersion": "2010-04-01",
}

TWILIO_WHATSAPP_MEDIA = {
    "SmsMessageSid": "MM7c0ae0e2d1e6b1a7d6e3f0c5b4a39281",
    "NumMedia": "2",
    "ProfileName": "Sheena Nelson",
    "MessageType": "image",
    "SmsSid": "MM7c0ae0e2d1e6b1a7d6e3f0c5b4a39281",
    "WaId": "14155550100",
    "SmsStatus": "received",
    "Body": "",
    "To": "whatsapp:+14155238886",
    "MediaContentType0": "image/jpeg",
    "MediaUrl0": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM7c/Media/ME01",
    "MediaContentType1": "application/pdf",
    "MediaUrl1": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/MM7c/Media/ME02",
    "NumSegments": "1",
    "ReferralNumMedia": "0",
    "MessageSid": "MM7c0ae0e2d1e6b1a7d6e3f0c5b4a39281",
    "AccountSid": ACCOUNT_SID,
    "From": "whatsapp:+14155550100",
    "ApiVersion": "2010-04-01",
}

TWILIO_STATUS_CALLBACK = {
    "SmsSid": "SM5f1c2e3d4b5a69788796a5b4c3d2e1f0",
    "SmsStatus": "undelivered",
    "MessageStatus": "undelivered",
    "To": "+14155550100",
    "MessageSid": "SM5f1c2e3d4b5a69788796a5b4c3d2e1f0",
    "AccountSid": ACCOUNT_SID,
    "From": "+14155238886",
    "ApiVersion": "2010-04-01",
    "ErrorCode": "30003",
}

TWILIO_CALL_COMPLETED = {
    "Called": "+14155238886",
    "ToState": "CA",
    "CallerCountry": "US",
    "Direction": "inbound",
    "Timestamp": "Tue, 25 Jun 2024 14:03:27 +0000",
    "CallbackSource": "call-progress-events",
    "CallerState": "CA",
    "ToZip": "",
    "SequenceNumber": "3",
    "CallSid": "CA3f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "To": "+14155238886",
    "CallerZip": "94105",
    "ToCountry": "US",
    "ApiVersion": "2010-04-01",
    "CallStatus": "completed",
    "Duration": "2",
    "From": "+14155550100",
    "CallDuration": "74",
    "AccountSid": ACCOUNT_SID,
    "Caller": "+14155550100",
    "FromCountry": "US",
    "CallerName": "NELSON SHEENA",
}

# Shapes follow Meta's WhatsApp Cloud API "messages webhook reference".
ECOSYSTEM_ERROR = "This message was not delivered to maintain healthy ecosystem engagement."
ERROR_CODES_HREF = "/documentation/business-messaging/whatsapp/support/error-codes"
WHATSAPP_TEXT = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [{"profile": {"name": "Sheena Nelson"}, "wa_id": "16505551234"}],
                        "messages": [
                            {
                                "from": "16505551234",
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                                "timestamp": "1749416383",
                                "type": "text",
                                "text": {"body": "Does it come in another color?"},
                            }
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

WHATSAPP_IMAGE_AND_REACTION = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "contacts": [{"profile": {"name": "Pablo Morales"}, "wa_id": "4915112345678"}],
                        "messages": [
                            {
                                "from": "4915112345678",
                                "id": "wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFDNBMjM",
                                "timestamp": "1750090702",
                                "type": "image",
                                "image": {
                                    "caption": "The broken part",
                                    "mime_type": "image/jpeg",
                                    "sha256": "gaOmNG6yBT0Z1Lw0U9Yw2lTzXzfM8D2UuZ5cT5RPNuM=",
                                    "id": "1003383421387256",
                                },
                            },
                            {
                                "from": "4915112345678",
                                "id": "wamid.HBgLNDkxNTExMjM0NTY3OBUCABIYFDNBMjQ",
                                "timestamp": "1750090710",
                                "type": "reaction",
                                "reaction": {"message_id": "wamid.HBgLOUR", "emoji": "\U0001f44d"},
                            },
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

WHATSAPP_STATUSES = {
    "object": "whatsapp_business_account",
    "entry": [
        {
            "id": "102290129340398",
            "changes": [
                {
                    "value": {
                        "messaging_product": "whatsapp",
                        "metadata": {
                            "display_phone_number": "15550783881",
                            "phone_number_id": "106540352242922",
                        },
                        "statuses": [
                            {
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA",
                                "status": "delivered",
                                "timestamp": "1750263773",
                                "recipient_id": "16505551234",
                                "pricing": {
                                    "billable": True,
                                    "pricing_model": "PMP",
                                    "category": "marketing",
                                },
                            },
                            {
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0ZB",
                                "status": "failed",
                                "timestamp": "1750263780",
                                "recipient_id": "16505551234",
                                "errors": [
                                    {
                                        "code": 131049,
                                        "title": ECOSYSTEM_ERROR,
                                        "message": ECOSYSTEM_ERROR,
                                        "error_data": {"details": "To maintain a healthy ecosystem..."},
                                        "href": ERROR_CODES_HREF,
                                    }
                                ],
                            },
                            {
                                "id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0ZC",
                                "status": "some_future_status",
                                "timestamp": "1750263790",
                                "recipient_id": "16505551234",
                            },
                        ],
                    },
                    "field": "messages",
                }
            ],
        }
    ],
}

# Shapes follow Meta's Messenger Platform webhook events reference.
MESSENGER = {
    "object": "page",
    "entry": [
        {
            "id": "108167232030131",
            "time": 1718014932615,
            "messaging": [
                {
                    "sender": {"id": "7029381870478437"},
                    "recipient": {"id": "108167232030131"},
                    "timestamp": 1718014932105,
                    "message": {
                        "mid": "m_Kr7b0aNBVPGaHSVaZMbX8TgczEvJmOnWt1cYqDNrJbA",
                        "text": "Hello, I need help with my booking",
                    },
                },
                {
                    "sender": {"id": "7029381870478437"},
                    "recipient": {"id": "108167232030131"},
                    "timestamp": 1718014940000,
                    "message": {
                        "mid": "m_attach01",
                        "attachments": [
                            {
                                "type": "image",
                                "payload": {"url": "https://scontent.xx.fbcdn.net/v/t1.15752-9/1.jpg"},
                            },
                            {"type": "fallback", "payload": {"title": "Link"}},
                        ],
                    },
                },
                {
                    "sender": {"id": "108167232030131"},
                    "recipient": {"id": "7029381870478437"},
                    "timestamp": 1718014950000,
                    "message": {
                        "is_echo": True,
                        "app_id": 1517776481860111,
                        "mid": "m_echo01",
                        "text": "Sure!",
                    },
                },
                {
                    "sender": {"id": "7029381870478437"},
                    "recipient": {"id": "108167232030131"},
                    "delivery": {"mids": ["m_out01", "m_out02"], "watermark": 1718014960000},
                },
                {
                    "sender": {"id": "7029381870478437"},
                    "recipient": {"id": "108167232030131"},
                    "timestamp": 1718014970000,
                    "read": {"watermark": 1718014965000},
                },
            ],
        }
    ],
}

INSTAGRAM = {
    "object": "instagram",
    "entry": [
        {
            "id": "17841405822304914",
            "time": 1569262486134,
            "messaging": [
                {
                    "sender": {"id": "1254459154682919"},
                    "recipient": {"id": "17841405822304914"},
                    "timestamp": 1569262485349,
                    "message": {
                        "mid": "aWdfZAG1faWQ6MTpJR01lc3NhZA2VUaHJlYWQ",
                        "text": "Do you ship to Belgium?",
                    },
                },
                {
                    "sender": {"id": "1254459154682919"},
                    "recipient": {"id": "17841405822304914"},
                    "timestamp": 1569262490000,
                    "read": {"mid": "aWdfZAG1faWQ6MTpJR01lc3NhZA2VUaHJlYWQ_out"},
                },
            ],
        }
    ],
}

# Shape follows the Telegram Bot API "Update" and "Message" objects.
TELEGRAM_TEXT = {
    "update_id": 948172635,
    "message": {
        "message_id": 1365,
        "from": {
            "id": 1111111,
            "is_bot": False,
            "first_name": "Ana",
            "last_name": "Silva",
            "username": "anasilva",
            "language_code": "pt-br",
        },
        "chat": {
            "id": 1111111,
            "first_name": "Ana",
            "last_name": "Silva",
            "username": "anasilva",
            "type": "private",
        },
        "date": 1718020000,
        "text": "/start",
        "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
    },
}

TELEGRAM_PHOTO = {
    "update_id": 948172636,
    "message": {
        "message_id": 1366,
        "from": {"id": 1111111, "is_bot": False, "first_name": "Ana"},
        "chat": {"id": 1111111, "first_name": "Ana", "type": "private"},
        "date": 1718020060,
        "photo": [
            {"file_id": "AgACAgQAAxkBAAIFsmZ-small", "file_unique_id": "AQADs", "width": 90, "height": 67},
            {"file_id": "AgACAgQAAxkBAAIFsmZ-large", "file_unique_id": "AQADl", "width": 1280, "height": 960},
        ],
        "caption": "Damaged box",
    },
}


class PayloadCase(BaseCase):
    def assertPayloadError(self, message, parse, payload):
        """Assert that ``parse(payload)`` raises PayloadError with exactly ``message``."""
        with self.assertRaises(PayloadError) as caught:
            parse(payload)
        self.assertEqual(str(caught.exception), message)


@tagged("cc_omnichannel_tools")
class TestTwilioMessage(PayloadCase):
    def test_inbound_sms(self):
        self.assertEqual(
            parse_twilio_message(TWILIO_SMS),
            [
                InboundEvent(
                    kind="message",
                    external_id="SM1f0e8ae6ade43cb3c0ce4525424e404f",
                    address_kind="phone",
                    address="+14155550100",
                    body="Is my order 4512 on its way?",
                    recipient="+14155238886",
                )
            ],
        )

    def test_inbound_whatsapp_with_media(self):
        (event,) = parse_twilio_message(TWILIO_WHATSAPP_MEDIA)
        self.assertEqual(event.kind, "message")
        self.assertEqual(event.address_kind, "whatsapp")
        self.assertEqual(event.address, "+14155550100")
        self.assertEqual(event.recipient, "+14155238886")
        self.assertEqual(event.display_name, "Sheena Nelson")
        self.assertEqual(event.body, "")
        media_urls = (TWILIO_WHATSAPP_MEDIA["MediaUrl0"], TWILIO_WHATSAPP_MEDIA["MediaUrl1"])
        self.assertEqual(event.media_urls, media_urls)

    def test_accepts_werkzeug_form(self):
        self.assertEqual(parse_twilio_message(MultiDict(TWILIO_SMS)), parse_twilio_message(TWILIO_SMS))

    def test_accepts_parse_qs_form(self):
        form = parse_qs(urlencode(TWILIO_WHATSAPP_MEDIA), keep_blank_values=True)
        self.assertEqual(parse_twilio_message(form), parse_twilio_message(TWILIO_WHATSAPP_MEDIA))
        form = parse_qs(urlencode(TWILIO_STATUS_CALLBACK), keep_blank_values=True)
        self.assertEqual(parse_twilio_message(form), parse_twilio_message(TWILIO_STATUS_CALLBACK))
        form = parse_qs(urlencode(TWILIO_CALL_COMPLETED), keep_blank_values=True)
        self.assertEqual(parse_twilio_call(form), parse_twilio_call(TWILIO_CALL_COMPLETED))

    def test_sms_sid_only(self):
        form = {key: value for key, value in TWILIO_SMS.items() if key != "MessageSid"}
        self.assertEqual(parse_twilio_message(form)[0].external_id, "SM1f0e8ae6ade43cb3c0ce4525424e404f")

    def test_status_callback(self):
        self.assertEqual(
            parse_twilio_message(TWILIO_STATUS_CALLBACK),
            [
                InboundEvent(
                    kind="status",
                    external_id="SM5f1c2e3d4b5a69788796a5b4c3d2e1f0",
                    address_kind="phone",
                    address="+14155550100",
                    status="failed",
                    error="30003",
                    recipient="+14155238886",
                )
            ],
        )

    def test_status_values(self):
        expected = {
            "accepted": "queued",
            "queued": "queued",
            "sending": "sent",
            "sent": "sent",
            "delivered": "delivered",
            "read": "read",
            "failed": "failed",
            "undelivered": "failed",
            "canceled": "failed",
        }
        for twilio_status, status in expected.items():
            with self.subTest(twilio_status):
                form = dict(TWILIO_STATUS_CALLBACK, MessageStatus=twilio_status, SmsStatus=twilio_status)
                del form["ErrorCode"]
                (event,) = parse_twilio_message(form)
                self.assertEqual((event.kind, event.status, event.error), ("status", status, ""))

    def test_unknown_status_is_skipped(self):
        self.assertEqual(parse_twilio_message(dict(TWILIO_STATUS_CALLBACK, MessageStatus="teleported")), [])

    def test_whatsapp_status_with_error_message(self):
        form = dict(
            TWILIO_STATUS_CALLBACK,
            To="whatsapp:+14155550100",
            From="whatsapp:+14155238886",
            ErrorCode="63016",
            ErrorMessage="Failed to send freeform message because you are outside the allowed window.",
        )
        (event,) = parse_twilio_message(form)
        self.assertEqual(
            (event.address_kind, event.address, event.recipient), ("whatsapp", "+14155550100", "+14155238886")
        )
        self.assertEqual(
            event.error, "63016: Failed to send freeform message because you are outside the allowed window."
        )

    def test_malformed(self):
        cases = {
            "'MessageSid' is required": dict(TWILIO_SMS, MessageSid="", SmsSid=""),
            "'From' is required": dict(TWILIO_SMS, From=""),
            "'NumMedia' must be a whole number": dict(TWILIO_SMS, NumMedia="two"),
        }
        for message, form in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_twilio_message, form)


@tagged("cc_omnichannel_tools")
class TestTwilioCall(PayloadCase):
    def test_completed_inbound_call(self):
        self.assertEqual(
            parse_twilio_call(TWILIO_CALL_COMPLETED),
            [
                InboundEvent(
                    kind="call",
                    external_id="CA3f1e2d3c4b5a69788796a5b4c3d2e1f0",
                    address_kind="phone",
                    address="+14155550100",
                    display_name="NELSON SHEENA",
                    occurred_at=datetime(2024, 6, 25, 14, 3, 27),
                    status="completed",
                    talk_seconds=74,
                    recipient="+14155238886",
                )
            ],
        )

    def test_status_values(self):
        expected = {
            "queued": "ringing",
            "ringing": "ringing",
            "in-progress": "in_progress",
            "busy": "busy",
            "no-answer": "no_answer",
            "failed": "failed",
            "canceled": "canceled",
        }
        for twilio_status, status in expected.items():
            with self.subTest(twilio_status):
                (event,) = parse_twilio_call(dict(TWILIO_CALL_COMPLETED, CallStatus=twilio_status))
                self.assertEqual(event.status, status)
                self.assertIsNone(event.talk_seconds)

    def test_outbound_call_customer_is_to(self):
        form = dict(
            TWILIO_CALL_COMPLETED,
            Direction="outbound-api",
            From="+14155238886",
            To="+32470123456",
            Timestamp="Tue, 25 Jun 2024 16:03:27 +0200",
        )
        (event,) = parse_twilio_call(form)
        self.assertEqual((event.address, event.recipient), ("+32470123456", "+14155238886"))
        self.assertEqual(event.display_name, "")
        self.assertEqual(event.occurred_at, datetime(2024, 6, 25, 14, 3, 27))

    def test_client_caller(self):
        (event,) = parse_twilio_call(dict(TWILIO_CALL_COMPLETED, From="client:agent_ana"))
        self.assertEqual((event.address_kind, event.address), ("other", "client:agent_ana"))

    def test_without_timestamp_and_duration(self):
        form = {k: v for k, v in TWILIO_CALL_COMPLETED.items() if k not in ("Timestamp", "CallDuration")}
        (event,) = parse_twilio_call(form)
        self.assertIsNone(event.occurred_at)
        self.assertIsNone(event.talk_seconds)

    def test_malformed(self):
        call = TWILIO_CALL_COMPLETED
        cases = {
            "'CallSid' is required": dict(call, CallSid=""),
            "'CallStatus' is required": {k: v for k, v in call.items() if k != "CallStatus"},
            "'From' is required": dict(call, From=""),
            "'To' is required": dict(call, Direction="outbound-dial", To=""),
            "'CallDuration' must be a whole number of seconds": dict(call, CallDuration="1.5"),
            "'Timestamp' must be an RFC 2822 date": dict(call, Timestamp="yesterday"),
        }
        for message, form in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_twilio_call, form)


@tagged("cc_omnichannel_tools")
class TestMetaWhatsApp(PayloadCase):
    def test_text_message(self):
        self.assertEqual(
            parse_meta(WHATSAPP_TEXT),
            [
                InboundEvent(
                    kind="message",
                    external_id="wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                    address_kind="whatsapp",
                    address="16505551234",
                    display_name="Sheena Nelson",
                    body="Does it come in another color?",
                    occurred_at=datetime(2025, 6, 8, 20, 59, 43),
                    recipient="106540352242922",
                )
            ],
        )

    def test_image_kept_and_reaction_skipped(self):
        (event,) = parse_meta(WHATSAPP_IMAGE_AND_REACTION)
        self.assertEqual(event.body, "The broken part")
        self.assertEqual(event.media_urls, ("whatsapp-media:1003383421387256",))
        self.assertEqual(event.display_name, "Pablo Morales")

    def test_interactive_and_location_bodies(self):
        payload = copy.deepcopy(WHATSAPP_TEXT)
        message = payload["entry"][0]["changes"][0]["value"]["messages"][0]
        message.pop("text")
        message.update(
            type="interactive",
            interactive={
                "type": "button_reply",
                "button_reply": {"id": "opt-2", "title": "Talk to an agent"},
            },
        )
        self.assertEqual(parse_meta(payload)[0].body, "Talk to an agent")
        message.pop("interactive")
        location = {"latitude": 50.8466, "longitude": 4.3528, "name": "Grand-Place"}
        message.update(type="location", location=location)
        self.assertEqual(parse_meta(payload)[0].body, "Grand-Place\n50.8466,4.3528")

    def test_statuses(self):
        delivered, failed = parse_meta(WHATSAPP_STATUSES)
        self.assertEqual(
            delivered,
            InboundEvent(
                kind="status",
                external_id="wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA",
                address_kind="whatsapp",
                address="16505551234",
                occurred_at=datetime(2025, 6, 18, 16, 22, 53),
                status="delivered",
                recipient="106540352242922",
            ),
        )
        self.assertEqual(failed.status, "failed")
        self.assertEqual(failed.error, f"131049: {ECOSYSTEM_ERROR}")

    def test_other_fields_are_ignored(self):
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "message_template_status_update",
                            "value": {"event": "APPROVED", "message_template_id": 1},
                        }
                    ],
                }
            ],
        }
        self.assertEqual(parse_meta(payload), [])

    def test_malformed(self):
        no_id = copy.deepcopy(WHATSAPP_TEXT)
        del no_id["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
        bad_time = copy.deepcopy(WHATSAPP_TEXT)
        bad_time["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = "yesterday"
        no_status = copy.deepcopy(WHATSAPP_STATUSES)
        del no_status["entry"][0]["changes"][0]["value"]["statuses"][1]["status"]
        cases = {
            "'object' is required": {"entry": []},
            "unknown Meta object 'user'": {"object": "user", "entry": []},
            "entry must be a list": {"object": "whatsapp_business_account", "entry": {}},
            "payload must be an object": [],
            "entry[0].changes[0].value.messages[0]: 'id' is required": no_id,
            "entry[0].changes[0].value.messages[0]: 'timestamp' must be a Unix timestamp": bad_time,
            "entry[0].changes[0].value.statuses[1]: 'status' is required": no_status,
        }
        for message, payload in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_meta, payload)


@tagged("cc_omnichannel_tools")
class TestMetaMessaging(PayloadCase):
    def test_messenger(self):
        events = parse_meta(MESSENGER)
        common = {"address_kind": "facebook", "address": "7029381870478437", "recipient": "108167232030131"}
        self.assertEqual(
            events,
            [
                InboundEvent(
                    kind="message",
                    external_id="m_Kr7b0aNBVPGaHSVaZMbX8TgczEvJmOnWt1cYqDNrJbA",
                    body="Hello, I need help with my booking",
                    occurred_at=datetime(2024, 6, 10, 10, 22, 12, 105000),
                    **common,
                ),
                InboundEvent(
                    kind="message",
                    external_id="m_attach01",
                    media_urls=("https://scontent.xx.fbcdn.net/v/t1.15752-9/1.jpg",),
                    occurred_at=datetime(2024, 6, 10, 10, 22, 20),
                    **common,
                ),
                # the echo of our own reply is skipped; the read watermark names no message
                InboundEvent(kind="status", external_id="m_out01", status="delivered", **common),
                InboundEvent(kind="status", external_id="m_out02", status="delivered", **common),
            ],
        )

    def test_instagram(self):
        message, read = parse_meta(INSTAGRAM)
        self.assertEqual(
            message,
            InboundEvent(
                kind="message",
                external_id="aWdfZAG1faWQ6MTpJR01lc3NhZA2VUaHJlYWQ",
                address_kind="instagram",
                address="1254459154682919",
                body="Do you ship to Belgium?",
                occurred_at=datetime(2019, 9, 23, 18, 14, 45, 349000),
                recipient="17841405822304914",
            ),
        )
        self.assertEqual(
            (read.kind, read.status, read.external_id),
            ("status", "read", "aWdfZAG1faWQ6MTpJR01lc3NhZA2VUaHJlYWQ_out"),
        )

    def test_malformed(self):
        no_sender = copy.deepcopy(INSTAGRAM)
        del no_sender["entry"][0]["messaging"][0]["sender"]
        no_mid = copy.deepcopy(INSTAGRAM)
        del no_mid["entry"][0]["messaging"][0]["message"]["mid"]
        cases = {
            "entry[0].messaging[0].sender must be an object": no_sender,
            "entry[0].messaging[0].message: 'mid' is required": no_mid,
        }
        for message, payload in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_meta, payload)


@tagged("cc_omnichannel_tools")
class TestTelegram(PayloadCase):
    def test_text(self):
        self.assertEqual(
            parse_telegram(TELEGRAM_TEXT),
            [
                InboundEvent(
                    kind="message",
                    external_id="1111111:1365",
                    address_kind="telegram",
                    address="1111111",
                    display_name="Ana Silva",
                    body="/start",
                    occurred_at=datetime(2024, 6, 10, 11, 46, 40),
                )
            ],
        )

    def test_photo_with_caption(self):
        (event,) = parse_telegram(TELEGRAM_PHOTO)
        self.assertEqual(event.body, "Damaged box")
        self.assertEqual(event.media_urls, ("telegram-file:AgACAgQAAxkBAAIFsmZ-large",))
        self.assertEqual(event.display_name, "Ana")

    def test_other_updates_are_ignored(self):
        edited = {"update_id": 1, "edited_message": TELEGRAM_TEXT["message"]}
        callback = {"update_id": 2, "callback_query": {"id": "4382", "from": {"id": 1}, "data": "yes"}}
        self.assertEqual(parse_telegram(edited), [])
        self.assertEqual(parse_telegram(callback), [])

    def test_malformed(self):
        def without(*path):
            update = copy.deepcopy(TELEGRAM_TEXT)
            target = update
            for key in path[:-1]:
                target = target[key]
            del target[path[-1]]
            return update

        cases = {
            "message.chat must be an object": without("message", "chat"),
            "message.chat: 'id' is required": without("message", "chat", "id"),
            "message: 'message_id' is required": without("message", "message_id"),
            "message: 'date' is required": without("message", "date"),
            "message must be an object": {"update_id": 3, "message": "hello"},
            "update must be an object": "hello",
        }
        for message, update in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_telegram, update)


@tagged("cc_omnichannel_tools")
class TestGeneric(PayloadCase):
    def test_message(self):
        payload = {
            "id": "web-form-8812",
            "type": "message",
            "from": {"email": "Ann.Lee@Example.com", "name": "Ann Lee"},
            "to": "support@example.com",
            "body": "Please call me back",
            "media": ["https://forms.example.com/uploads/8812/invoice.pdf"],
            "timestamp": "2024-06-10T12:30:00+02:00",
        }
        self.assertEqual(
            parse_generic(payload),
            [
                InboundEvent(
                    kind="message",
                    external_id="web-form-8812",
                    address_kind="email",
                    address="Ann.Lee@Example.com",
                    display_name="Ann Lee",
                    body="Please call me back",
                    media_urls=("https://forms.example.com/uploads/8812/invoice.pdf",),
                    occurred_at=datetime(2024, 6, 10, 10, 30),
                    recipient="support@example.com",
                )
            ],
        )

    def test_batch(self):
        payload = {
            "events": [
                {
                    "id": "call-1",
                    "type": "call",
                    "from": {"phone": "+32470123456"},
                    "status": "completed",
                    "timestamp": 1718022600,
                    "wait_seconds": 35,
                    "talk_seconds": 412,
                },
                {
                    "id": "out-77",
                    "type": "status",
                    "status": "delivered",
                    "timestamp": "2024-06-10T12:30:00Z",
                },
                {
                    "id": 991,
                    "type": "message",
                    "from": {"telegram": 1111111},
                    "body": "hi",
                    "timestamp": "2024-06-10",
                },
            ]
        }
        call, status, message = parse_generic(payload)
        self.assertEqual(
            call,
            InboundEvent(
                kind="call",
                external_id="call-1",
                address_kind="phone",
                address="+32470123456",
                occurred_at=datetime(2024, 6, 10, 12, 30),
                status="completed",
                wait_seconds=35,
                talk_seconds=412,
            ),
        )
        self.assertEqual((status.kind, status.status, status.address), ("status", "delivered", ""))
        self.assertEqual(status.occurred_at, datetime(2024, 6, 10, 12, 30))
        self.assertEqual(message.external_id, "991")
        self.assertEqual((message.address_kind, message.address), ("telegram", "1111111"))
        self.assertEqual(message.occurred_at, datetime(2024, 6, 10))
        self.assertEqual(parse_generic({"events": []}), [])

    def test_malformed(self):
        good = {"id": "a", "type": "message", "from": {"phone": "+32470123456"}}
        kinds = "'phone', 'whatsapp', 'email', 'telegram', 'facebook', 'instagram', 'other'"
        needs_address = f"'from' needs one of {kinds}"
        cases = {
            "'id' is required": {"type": "message", "from": {"phone": "+1"}},
            "'type' must be one of 'message', 'call', 'status'": dict(good, type="fax"),
            "'from' must be an object": dict(good, **{"from": "+32470123456"}),
            needs_address: dict(good, **{"from": {"name": "Ann"}}),
            "'body' must be a string": dict(good, body=12),
            "'media' must be a list of URLs": dict(good, media="https://x"),
            "'timestamp' must be ISO-8601 or a Unix timestamp": dict(good, timestamp="10/06/2024"),
            "'timestamp' must be a Unix timestamp": dict(good, timestamp=True),
            "'timestamp' is out of range": dict(good, timestamp=10**20),
            "'wait_seconds' must be a non-negative integer": dict(good, wait_seconds=-3),
            "'talk_seconds' must be a non-negative integer": dict(good, talk_seconds="12"),
            "'status' is required": {"id": "a", "type": "status"},
            "'status' must be one of 'queued', 'sent', 'delivered', 'read', 'failed'": {
                "id": "a",
                "type": "status",
                "status": "in_progress",
            },
            "'status' must be one of 'ringing', 'in_progress', 'completed', 'busy', 'no_answer', 'failed', "
            "'canceled'": dict(good, type="call", status="answered"),
            "'events' must be a list": {"events": {"id": "a"}},
            "event 2: 'id' is required": {"events": [good, dict(good, id="")]},
            "event 1: must be an object": {"events": ["a"]},
            "payload must be an object": ["a"],
        }
        for message, payload in cases.items():
            with self.subTest(message):
                self.assertPayloadError(message, parse_generic, payload)


@tagged("cc_omnichannel_tools")
class TestLoadJson(PayloadCase):
    def test_object(self):
        self.assertEqual(load_json(json.dumps({"id": "é"}).encode()), {"id": "é"})
        self.assertEqual(load_json('{"id": "é"}'.encode()), {"id": "é"})

    def test_malformed(self):
        cases = {
            "body is empty": [b"", b"  \n"],
            "body is not valid JSON": [b"{", b"id=1&type=message", b'{"a": "\xff"}', b"[" * 100000],
            "body must be a JSON object": [b"[]", b'"text"', b"42", b"null"],
        }
        for message, bodies in cases.items():
            for body in bodies:
                with self.subTest(body=body[:20]):
                    self.assertPayloadError(message, load_json, body)


def _json_containers(children):
    return st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
JSON_VALUES = st.recursive(JSON_SCALARS, _json_containers, max_leaves=8)


def _paths(value, prefix=()):
    """Every path to a value nested in dicts and lists, the root included."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from _paths(child, (*prefix, key))


def _replaced(document, path, new_value):
    if not path:
        return new_value
    document = copy.deepcopy(document)
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = new_value
    return document


TWILIO_SAMPLES = [TWILIO_SMS, TWILIO_WHATSAPP_MEDIA, TWILIO_STATUS_CALLBACK, TWILIO_CALL_COMPLETED]
SAMPLES = [
    (parse_meta, WHATSAPP_TEXT),
    (parse_meta, WHATSAPP_IMAGE_AND_REACTION),
    (parse_meta, WHATSAPP_STATUSES),
    (parse_meta, MESSENGER),
    (parse_meta, INSTAGRAM),
    (parse_telegram, TELEGRAM_TEXT),
    (parse_telegram, TELEGRAM_PHOTO),
    (parse_generic, {"events": [{"id": "a", "type": "call", "from": {"phone": "+1"}, "timestamp": 1}]}),
]


@tagged("cc_omnichannel_tools")
class TestMalformedNeverCrashes(PayloadCase):
    """Whatever a sender changes in a valid payload, parsers return events or raise PayloadError."""

    @settings(max_examples=400, deadline=None)
    @given(data=st.data())
    def test_mutated_json_payloads(self, data):
        parse, sample = data.draw(st.sampled_from(SAMPLES))
        path = data.draw(st.sampled_from(list(_paths(sample))))
        mutated = _replaced(sample, path, data.draw(JSON_VALUES))
        try:
            events = parse(mutated)
        except PayloadError as error:
            self.assertNotIn("\n", str(error))
            return
        for event in events:
            self.assertIsInstance(event, InboundEvent)
            self.assertIn(event.kind, ("message", "status", "call"))
            self.assertIsInstance(event.body, str)
            self.assertTrue(all(isinstance(url, str) for url in event.media_urls))

    @settings(max_examples=200, deadline=None)
    @given(
        sample=st.sampled_from(TWILIO_SAMPLES),
        changes=st.dictionaries(
            st.sampled_from(
                [
                    "MessageSid",
                    "From",
                    "To",
                    "Body",
                    "NumMedia",
                    "MessageStatus",
                    "CallSid",
                    "CallStatus",
                    "CallDuration",
                    "Timestamp",
                    "Direction",
                    "ErrorCode",
                ]
            ),
            st.text(max_size=12),
            max_size=4,
        ),
    )
    def test_mutated_twilio_forms(self, sample, changes):
        form = dict(sample, **changes)
        for parse in (parse_twilio_message, parse_twilio_call):
            try:
                events = parse(form)
            except PayloadError:
                continue
            self.assertTrue(all(isinstance(event, InboundEvent) for event in events))
