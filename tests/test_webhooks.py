"""End-to-end: providers calling the live server's webhooks, signed exactly as each provider signs."""

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from twilio.request_validator import RequestValidator


@pytest.fixture(scope="module")
def channels(odoo):
    rows = odoo.call(
        "cc.channel",
        "search_read",
        [[("provider", "in", ("twilio", "meta", "generic", "telegram"))]],
        {"fields": ["name", "provider", "channel_type", "webhook_url", "signing_secret", "verify_token"]},
    )
    return {row["name"]: row for row in rows}


def post(odoo, channel, body, headers):
    """POST to the channel's webhook path on the live server (providers sign the public URL, not ours)."""
    path = urlsplit(channel["webhook_url"]).path
    return requests.post(f"{odoo.url}{path}", data=body, headers=headers, timeout=30)


def interactions(odoo, external_id):
    return odoo.call(
        "cc.interaction",
        "search_read",
        [[("external_id", "=", external_id)]],
        {"fields": ["partner_id", "ticket_id", "state", "body"]},
    )


def processed_interactions(odoo, external_id, seconds=30):
    """The interactions of a webhook the server answered: queue_job's runner processes it moments later."""
    deadline = time.monotonic() + seconds
    while not (found := interactions(odoo, external_id)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_twilio_sms_signed_by_twilios_validator(odoo, channels):
    channel = channels["Support SMS"]
    sid = f"SM{uuid.uuid4().hex}"
    form = {"MessageSid": sid, "From": "+32470998877", "To": "+3225550100", "Body": "Hello from the e2e suite"}
    signature = RequestValidator(channel["signing_secret"]).compute_signature(channel["webhook_url"], form)

    response = post(odoo, channel, form, {"X-Twilio-Signature": signature})

    assert response.status_code == 200
    [interaction] = processed_interactions(odoo, sid)
    assert interaction["body"] == "Hello from the e2e suite"
    assert interaction["ticket_id"], "the Support SMS channel opens tickets"


def test_twilio_bad_signature_is_refused_and_kept(odoo, channels):
    channel = channels["Support SMS"]
    sid = f"SM{uuid.uuid4().hex}"
    response = post(
        odoo, channel, {"MessageSid": sid, "From": "+32470998877", "Body": "forged"}, {"X-Twilio-Signature": "Zm9yZ2Vk"}
    )

    assert response.status_code == 403
    assert interactions(odoo, sid) == []
    [event] = odoo.call("cc.webhook.event", "search_read", [[("body", "ilike", sid)]], {"fields": ["state", "error"]})
    assert (event["state"], event["error"]) == ("rejected", "missing or invalid signature")


def test_meta_handshake_and_signed_whatsapp_message(odoo, channels):
    channel = channels["WhatsApp"]
    path = urlsplit(channel["webhook_url"]).path
    handshake = requests.get(
        f"{odoo.url}{path}",
        params={"hub.mode": "subscribe", "hub.challenge": "4242", "hub.verify_token": channel["verify_token"]},
        timeout=30,
    )
    assert (handshake.status_code, handshake.text) == (200, "4242")

    message_id = f"wamid.{uuid.uuid4().hex}"
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"phone_number_id": "106540352242922"},
                                "contacts": [{"profile": {"name": "E2E Tester"}, "wa_id": "32470998866"}],
                                "messages": [
                                    {
                                        "from": "32470998866",
                                        "id": message_id,
                                        "timestamp": "1764480000",
                                        "type": "text",
                                        "text": {"body": "Is my order shipped?"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    digest = hmac.new(channel["signing_secret"].encode(), body, hashlib.sha256).hexdigest()
    response = post(
        odoo, channel, body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}
    )

    assert response.status_code == 200
    [interaction] = processed_interactions(odoo, message_id)
    assert interaction["partner_id"][1] == "E2E Tester"


def test_generic_webhook_malformed_body_gets_400_with_reason(odoo, channels):
    channel = channels["Web Chat"]
    body = b'{"id": 42}'
    digest = hmac.new(channel["signing_secret"].encode(), body, hashlib.sha256).hexdigest()
    response = post(odoo, channel, body, {"Content-Type": "application/json", "X-CC-Signature": f"sha256={digest}"})
    assert response.status_code == 400
    assert response.text.strip()
