import json
import random
from datetime import timedelta
from urllib.parse import urlencode

from odoo import api, fields, models

CUSTOMERS = [
    # name, mobile (E.164), email, telegram chat id
    ("Chloé Dubois", "+32470112233", "chloe.dubois@example.com", "5512001"),
    ("Jan Peeters", "+32471223344", "jan.peeters@example.com", "5512002"),
    ("Maria Rossi", "+39347112233", "maria.rossi@example.com", "5512003"),
    ("Lucas Schmidt", "+4915112345678", "lucas.schmidt@example.com", "5512004"),
    ("Emma Janssens", "+32472334455", "emma.janssens@example.com", "5512005"),
    ("Noah Lambert", "+33612345678", "noah.lambert@example.com", "5512006"),
    ("Sofia García", "+34612345678", "sofia.garcia@example.com", "5512007"),
    ("Liam O'Brien", "+353871234567", "liam.obrien@example.com", "5512008"),
    ("Ana Silva", "+351912345678", "ana.silva@example.com", "5512009"),
    ("Tom de Vries", "+31612345678", "tom.devries@example.com", "5512010"),
    ("Julie Martin", "+32473445566", "julie.martin@example.com", "5512011"),
    ("Marc Dupont", "+32474556677", "marc.dupont@example.com", "5512012"),
    ("Lea Wagner", "+4917612345678", "lea.wagner@example.com", "5512013"),
    ("Hugo Bernard", "+33698765432", "hugo.bernard@example.com", "5512014"),
    ("Nina Kowalski", "+48501234567", "nina.kowalski@example.com", "5512015"),
    ("Omar Haddad", "+32475667788", "omar.haddad@example.com", "5512016"),
    ("Elena Popescu", "+40721234567", "elena.popescu@example.com", "5512017"),
    ("Sven Larsen", "+4791234567", "sven.larsen@example.com", "5512018"),
    ("Clara Weber", "+41791234567", "clara.weber@example.com", "5512019"),
    ("Yusuf Demir", "+905321234567", "yusuf.demir@example.com", "5512020"),
]

MESSAGES = [
    "My internet has been dropping every evening since Monday",
    "Hi, the invoice for November shows two charges",
    "Can I move my subscription to the family plan?",
    "The router's light is blinking red, what should I do?",
    "I'd like to cancel the extra TV package",
    "Your technician did not show up this morning",
    "How do I set up the new modem?",
    "I was promised a refund two weeks ago, still nothing",
    "Is fiber available at my new address?",
    "The app keeps logging me out",
    "Thanks, it works again!",
    "Could someone call me back after 5pm?",
]

SALES_REQUESTS = [
    "We are 40 people moving to a new office: pricing for business fiber?",
    "Do you offer a discount if I bundle mobile and internet?",
    "Interested in the premium support plan for our shop",
]


class CcDemoTraffic(models.AbstractModel):
    """Two weeks of realistic traffic for the demo database, through the real inbound pipeline."""

    _name = "cc.demo.traffic"
    _description = "Contact Center Demo Traffic"

    @api.model
    def generate(self, days=14):
        rng = random.Random(19)  # noqa: S311 - a reproducible demo, not a secret
        now = fields.Datetime.now().replace(minute=0, second=0, microsecond=0)
        channels = {
            key: self.env.ref(f"cc_omnichannel.demo_channel_{key}")
            for key in ("sms", "whatsapp", "voice", "telegram", "webchat", "webform", "email")
        }
        self.env["res.partner"].create(
            [{"name": name, "phone": phone, "email": email} for name, phone, email, _chat in CUSTOMERS]
        )
        for number in range(days * 6):
            moment = self._business_moment(rng, now, days)
            customer = rng.choice(CUSTOMERS)
            kind = rng.choices(["sms", "whatsapp", "voice", "telegram", "webchat", "email"], [3, 4, 4, 1, 2, 2])[0]
            if kind == "email":
                self._email(channels["email"], customer, number, rng.choice(MESSAGES), moment)
            else:
                body = getattr(self, f"_{kind}_payloads")(channels[kind], customer, number, rng)
                for payload in body:
                    self._deliver(channels[kind], payload)
                self._settle(channels[kind], number, moment, rng, now)
        for number, request in enumerate(SALES_REQUESTS):
            customer = CUSTOMERS[number]
            payload = {
                "id": f"form-{number}",
                "type": "message",
                "body": request,
                "from": {"email": customer[2], "name": customer[0]},
            }
            self._deliver(channels["webform"], json.dumps(payload))
        self._store_rejected(channels["sms"])
        self._play_sales()

    def _play_sales(self):
        """The rep worked some prompts: one won, one accepted and in progress, one dismissed."""
        rep = self.env.ref("cc_omnichannel.demo_user_rep")
        flags = self.env["cc.upsell.flag"].search([("state", "=", "open")], order="id")
        if len(flags) < 3:
            return
        won, accepted, dismissed = flags[0], flags[1], flags[2]
        (won | accepted).with_user(rep).action_accept()
        won.lead_id.with_user(rep).action_set_won()
        dismissed.with_user(rep).action_dismiss("Customer is moving abroad next month")

    def _business_moment(self, rng, now, days):
        day = now - timedelta(days=rng.randrange(days))
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return day.replace(hour=rng.randrange(7, 17), minute=rng.randrange(60))

    # --- provider payloads, as the providers send them -----------------------------------------------

    def _sms_payloads(self, channel, customer, number, rng):
        return [
            urlencode(
                {
                    "MessageSid": f"SMdemo{number:05d}",
                    "From": customer[1],
                    "To": channel.sender_id,
                    "Body": rng.choice(MESSAGES),
                    "NumMedia": "0",
                }
            )
        ]

    def _whatsapp_payloads(self, channel, customer, number, rng):
        wa_id = customer[1].lstrip("+")
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "3225550101", "phone_number_id": channel.sender_id},
            "contacts": [{"profile": {"name": customer[0]}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": f"wamid.demo{number:05d}",
                    "timestamp": "1764480000",
                    "type": "text",
                    "text": {"body": rng.choice(MESSAGES)},
                }
            ],
        }
        return [
            json.dumps(
                {
                    "object": "whatsapp_business_account",
                    "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
                }
            )
        ]

    def _telegram_payloads(self, channel, customer, number, rng):
        first, _space, last = customer[0].partition(" ")
        return [
            json.dumps(
                {
                    "update_id": 9000 + number,
                    "message": {
                        "message_id": number,
                        "date": 1764480000,
                        "text": rng.choice(MESSAGES),
                        "from": {"id": int(customer[3]), "is_bot": False, "first_name": first, "last_name": last},
                        "chat": {"id": int(customer[3]), "type": "private"},
                    },
                }
            )
        ]

    def _webchat_payloads(self, channel, customer, number, rng):
        return [
            json.dumps(
                {
                    "id": f"chat-{number}",
                    "type": "message",
                    "body": rng.choice(MESSAGES),
                    "from": {"email": customer[2], "name": customer[0]},
                }
            )
        ]

    def _voice_payloads(self, channel, customer, number, rng):
        call = {"CallSid": f"CAdemo{number:05d}", "From": customer[1], "To": "+3225550100", "Direction": "inbound"}
        if rng.random() < 0.2:
            return [urlencode({**call, "CallStatus": "ringing"}), urlencode({**call, "CallStatus": "no-answer"})]
        return [
            urlencode({**call, "CallStatus": "ringing"}),
            urlencode({**call, "CallStatus": "in-progress"}),
            urlencode({**call, "CallStatus": "completed", "CallDuration": str(rng.randrange(60, 900))}),
        ]

    def _deliver(self, channel, body):
        event = self.env["cc.webhook.event"].create(
            {
                "channel_id": channel.id,
                "provider": channel.provider,
                "http_method": "POST",
                "url": channel.webhook_url,
                "body": body,
            }
        )
        self.env["cc.inbound.processor"].process_event(event)

    # --- what agents did with the contacts ----------------------------------------------------------

    def _settle(self, channel, number, moment, rng, now):
        """Place the contact at its moment in the past, and play out how it was handled."""
        interaction = self.env["cc.interaction"].search([("channel_id", "=", channel.id)], order="id desc", limit=1)
        wait = rng.randrange(3, 45) if channel.channel_type == "voice" else rng.randrange(5, 120)
        vals = {"received_at": moment, "queued_at": moment}
        if interaction.state in ("done", "missed"):
            vals.update(wait_seconds=wait, ended_at=moment + timedelta(seconds=wait + interaction.talk_seconds))
            if interaction.state == "done":
                vals["answered_at"] = moment + timedelta(seconds=wait)
        elif moment < now - timedelta(days=1):
            vals.update(
                state="done",
                answered_at=moment + timedelta(seconds=wait),
                wait_seconds=wait,
                ended_at=moment + timedelta(minutes=rng.randrange(3, 30)),
            )
        interaction.write(vals)
        ticket = interaction.ticket_id
        if ticket:
            self._backdate(ticket, moment)
        if ticket and moment < now - timedelta(days=3) and rng.random() < 0.7:
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET closed_date = %s WHERE id = %s",
                (moment + timedelta(hours=rng.randrange(1, 30)), ticket.id),
            )
            ticket.invalidate_recordset(["closed_date"])

    def _email(self, channel, customer, number, text, moment):
        partner = self.env["res.partner"].search([("email", "=", customer[2])], limit=1)
        ticket = self.env["helpdesk.ticket"].message_new(
            {
                "subject": text,
                "body": f"<p>{text}</p>",
                "email_from": f'"{customer[0]}" <{customer[2]}>',
                "from": f'"{customer[0]}" <{customer[2]}>',
                "author_id": partner.id,
                "message_id": f"<demo-{number}@example.com>",
                "to": "support@example.com",
            },
            {"team_id": channel.team_id.id},
        )
        vals = {"received_at": moment, "queued_at": moment}
        if moment < fields.Datetime.now() - timedelta(days=1):
            vals.update(state="done", answered_at=moment + timedelta(hours=1), ended_at=moment + timedelta(hours=1))
        ticket.cc_interaction_ids.write(vals)
        self._backdate(ticket, moment)

    def _backdate(self, ticket, moment):
        """A demo ticket opened with its first contact, in the past (create_date is not writable)."""
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s, cc_last_contact_at = %s WHERE id = %s AND create_date > %s",
            (moment, moment, ticket.id, moment),
        )
        ticket.invalidate_recordset(["create_date", "cc_last_contact_at"])

    def _store_rejected(self, channel):
        """A forged request, kept as rejected, as a supervisor would find it in the inbound payloads."""
        self.env["cc.inbound.processor"].receive(
            channel._as_route(),
            {
                "method": "POST",
                "url": channel.webhook_url,
                "headers": {"x-twilio-signature": "Zm9yZ2Vk"},
                "body": urlencode({"MessageSid": "SMforged", "From": "+15005550009", "Body": "Win a prize!"}).encode(),
            },
        )
