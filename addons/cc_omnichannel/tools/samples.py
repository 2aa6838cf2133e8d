"""A signed sample request per provider: what the channel's "Test" button sends through the pipeline."""

import json
from urllib.parse import urlencode

from .signatures import generic_signature, meta_signature, twilio_signature

SAMPLE_PHONE = "+15005550006"  # Twilio's documented magic test number


def sample_request(provider, channel_type, url, secret, sender_id=""):
    """(headers with lower-case names, raw body) of a typical inbound contact, signed with `secret`."""
    if provider == "twilio" and channel_type == "voice":
        form = {"CallSid": "CAtest", "From": SAMPLE_PHONE, "To": sender_id, "CallStatus": "ringing"}
        return _twilio(url, form, secret)
    if provider == "twilio":
        prefix = "whatsapp:" if channel_type == "whatsapp" else ""
        form = {
            "MessageSid": "SMtest",
            "From": prefix + SAMPLE_PHONE,
            "To": prefix + sender_id,
            "Body": "Test message from the channel's Test button",
        }
        return _twilio(url, form, secret)
    if provider == "meta":
        body = json.dumps(_meta_payload(channel_type, sender_id)).encode()
        return {"x-hub-signature-256": meta_signature(body, secret)}, body
    if provider == "telegram":
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1764480000,
                "text": "Test message",
                "from": {"id": 1, "first_name": "Test"},
                "chat": {"id": 1},
            },
        }
        return {"x-telegram-bot-api-secret-token": secret}, json.dumps(update).encode()
    body = json.dumps(
        {"id": "test-1", "type": "message", "from": {"phone": SAMPLE_PHONE, "name": "Test"}, "body": "Test message"}
    ).encode()
    return {"x-cc-signature": generic_signature(body, secret)}, body


def _twilio(url, form, secret):
    return {"x-twilio-signature": twilio_signature(url, form, secret)}, urlencode(form).encode()


def _meta_payload(channel_type, sender_id):
    if channel_type == "whatsapp":
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"phone_number_id": sender_id},
            "contacts": [{"profile": {"name": "Test"}, "wa_id": SAMPLE_PHONE.lstrip("+")}],
            "messages": [
                {
                    "from": SAMPLE_PHONE.lstrip("+"),
                    "id": "wamid.test",
                    "timestamp": "1764480000",
                    "type": "text",
                    "text": {"body": "Test message"},
                }
            ],
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "0", "changes": [{"field": "messages", "value": value}]}],
        }
    return {
        "object": "page" if channel_type == "facebook" else "instagram",
        "entry": [
            {
                "id": "0",
                "time": 0,
                "messaging": [
                    {
                        "sender": {"id": "1000"},
                        "recipient": {"id": "0"},
                        "timestamp": 1764480000000,
                        "message": {"mid": "m_test", "text": "Test message"},
                    }
                ],
            }
        ],
    }
