import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode, urlsplit

from odoo.tests import HttpCase, new_test_user

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import JobMixin


class ContactCenterCase:
    """Fixtures shared by the contact center tests: a team, its people, one channel per provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.country_id = cls.env.ref("base.be")
        cls.agent = new_test_user(cls.env, "cc_agent", groups="cc_omnichannel.group_cc_agent", name="Alice Agent")
        cls.agent_2 = new_test_user(cls.env, "cc_agent2", groups="cc_omnichannel.group_cc_agent", name="Bob Agent")
        cls.supervisor = new_test_user(
            cls.env, "cc_supervisor", groups="cc_omnichannel.group_cc_supervisor", name="Sam Supervisor"
        )
        cls.manager = new_test_user(cls.env, "cc_manager", groups="cc_omnichannel.group_cc_manager", name="Max Manager")
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Front Line",
                "user_ids": [(6, 0, (cls.agent | cls.agent_2).ids)],
                "cc_routing": "least_open",
            }
        )
        cls.agents = cls.env["cc.agent"].create(
            [
                {"user_id": cls.agent.id, "presence": "available", "capacity": 3},
                {"user_id": cls.agent_2.id, "presence": "available", "capacity": 3},
            ]
        )
        channel_vals = {"team_id": cls.team.id, "company_id": cls.company.id}
        Channel = cls.env["cc.channel"]
        cls.sms = Channel.create(
            {
                **channel_vals,
                "name": "SMS",
                "channel_type": "sms",
                "provider": "twilio",
                "signing_secret": "twilio-auth-token",
                "api_account": "AC123",
                "api_token": "twilio-auth-token",
                "sender_id": "+3225550000",
            }
        )
        cls.voice = Channel.create(
            {
                **channel_vals,
                "name": "Phone",
                "channel_type": "voice",
                "provider": "twilio",
                "signing_secret": "twilio-auth-token",
                "inbound_creates": "interaction",
            }
        )
        cls.whatsapp = Channel.create(
            {
                **channel_vals,
                "name": "WhatsApp",
                "channel_type": "whatsapp",
                "provider": "meta",
                "signing_secret": "meta-app-secret",
                "verify_token": "meta-verify",
                "api_token": "meta-access-token",
                "sender_id": "106540352242922",
            }
        )
        cls.telegram = Channel.create(
            {
                **channel_vals,
                "name": "Telegram",
                "channel_type": "telegram",
                "provider": "telegram",
                "signing_secret": "telegram-secret",
                "api_token": "123456:ABC-DEF",
            }
        )
        cls.generic = Channel.create(
            {
                **channel_vals,
                "name": "Web chat",
                "channel_type": "livechat",
                "provider": "generic",
                "signing_secret": "generic-key",
            }
        )


class WebhookCase(ContactCenterCase, JobMixin, HttpCase):
    """Posts to the channels' webhook URLs over real HTTP, signed as each provider signs.

    The webhook answers once the payload is stored and queues its processing; `post_webhook` then runs the
    waiting jobs, as queue_job's runner would, unless `process` is False.
    """

    def post_webhook(self, channel, body, headers, process=True):
        path = urlsplit(channel.webhook_url).path
        response = self.url_open(path, data=body, headers=headers, timeout=30)
        if process:
            self.run_payload_jobs()
        return response

    def waiting_payload_jobs(self):
        return self.env["queue.job"].search(
            [("method_name", "=", "_process_received_payloads"), ("state", "in", ("pending", "enqueued"))], order="id"
        )

    def run_payload_jobs(self):
        """Run the waiting payload jobs, and those they queue, and mark them done, as queue_job's runner would."""
        while waiting := self.waiting_payload_jobs():
            for record in waiting:
                job = Job.load(self.env, record.uuid)
                job.perform()
                job.set_done()
                job.store()

    def post_twilio(self, channel, form, signature=None, process=True):
        from twilio.request_validator import RequestValidator  # noqa: PLC0415 - a test-only dependency

        if signature is None:
            signature = RequestValidator(channel.signing_secret).compute_signature(channel.webhook_url, form)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature:
            headers["X-Twilio-Signature"] = signature
        return self.post_webhook(channel, urlencode(form), headers, process)

    def post_meta(self, channel, payload, secret=None):
        body = json.dumps(payload).encode()
        digest = hmac.new((secret or channel.signing_secret).encode(), body, hashlib.sha256).hexdigest()
        return self.post_webhook(
            channel, body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}
        )

    def post_telegram(self, channel, update, secret=None):
        return self.post_webhook(
            channel,
            json.dumps(update).encode(),
            {
                "Content-Type": "application/json",
                "X-Telegram-Bot-Api-Secret-Token": secret or channel.signing_secret,
            },
        )

    def post_generic(self, channel, payload, key=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        digest = hmac.new((key or channel.signing_secret).encode(), body, hashlib.sha256).hexdigest()
        return self.post_webhook(
            channel, body, {"Content-Type": "application/json", "X-CC-Signature": f"sha256={digest}"}
        )

    def events(self, channel):
        return self.env["cc.webhook.event"].search([("channel_id", "=", channel.id)], order="id")

    def interactions(self, channel):
        return self.env["cc.interaction"].search([("channel_id", "=", channel.id)], order="id")


def twilio_sms(sid, sender, body, to="+3225550000"):
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": "AC123",
        "From": sender,
        "To": to,
        "Body": body,
        "NumMedia": "0",
        "ApiVersion": "2010-04-01",
    }


def whatsapp_text(wa_id, name, message_id, text, timestamp="1764480000"):
    """A WhatsApp Cloud API webhook with one inbound text message, shaped as Meta documents it."""
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
                            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                            "messages": [
                                {
                                    "from": wa_id,
                                    "id": message_id,
                                    "timestamp": timestamp,
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def basic_auth(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
