"""Fixtures of the contact-center reporting tests: two teams, their people and channels, and a hand-built week.

Every time is UTC. The reporting period is the week of Monday 2 November 2026: [2026-11-02 00:00, 2026-11-09 00:00).
Company settings: service-level threshold Y = 20 s, target X = 80 %, abandons counted against the service level,
short abandons = abandoned within 5 s, FCR repeat window = 7 days.

Contacts (inbound interactions)
-------------------------------
name   channel  received           state   team  agent  customer  wait  handle  notes
PRE    voice    11-01 23:59:59     done    A     alice  -            1     100  one second before the period
V1     voice    11-02 00:00:00     done    A     alice  Anna        10     300  first second of the period
V2     voice    11-02 10:00        done    A     alice  Carl        20     200  wait = Y: within (inclusive)
V3     voice    11-03 09:00        done    A     anton  Dora        40     100
V4     voice    11-03 11:00        missed  A     -      Eve         15       -  abandoned within Y
V5     voice    11-03 12:00        missed  A     -      -            3       -  short abandon (<= 5 s)
V6     voice    11-04 09:00        missed  A     -      -           60       -  abandoned after Y
V7     voice    11-04 10:00        queued  A     -      -            -       -  no outcome yet: in no figure
S1     sms      11-02 14:00        done    B     bob    Frank      (30)   (600)  no wait/talk given: answered at
                                                                                 14:00:30, ended at 14:10:30
S2     sms      11-05 09:00        done    B     bob    Ben         12     240  Ben works at Acme, like Anna
S3     sms      11-05 10:00        missed  B     -      -           25       -  abandoned after Y
S4     sms      11-06 09:00        missed  B     -      -          (4)       -  no wait given, ended after 4 s:
                                                                                 short abandon
OUT    sms      11-06 10:00        outbound to Frank (not a contact, not a repeat)
POST   voice    11-09 00:00:00     done    A     alice  -            5      50  = date_to: excluded
CARL2  sms      11-10 12:00:01     done    B     bob    Carl         5      60  after the period
DORA2  voice    11-11 12:00:00     done    A     anton  Dora        10      90  after the period
Z1     sms(c2)  11-03 09:30        done    Z     zed    Zoe          8     120  second company
Z2     sms(c2)  11-03 10:30        missed  Z     -      -           30       -  second company

Period figures ('against'):
    team A: handled V1 V2 V3 = 3, abandoned V4 V6 = 2 (V5 short, V7 no outcome), offered 5
            AHT (300 + 200 + 100) / 3 = 200, ASA (10 + 20 + 40) / 3 = 23.33, abandonment 2/5 = 0.4
            answered within Y: V1 V2 = 2, abandoned within Y: V4 = 1
            SL ignore 2/3, against 2/5 = 0.4, for (2 + 1)/5 = 0.6
    team B: handled S1 S2 = 2, abandoned S3 = 1 (S4 short), offered 3
            AHT (600 + 240) / 2 = 420, ASA (30 + 12) / 2 = 21, abandonment 1/3
            answered within Y: S2 = 1, abandoned within Y: none
            SL ignore 1/2, against 1/3, for 1/3
    both:   handled 5, abandoned 3, offered 8, AHT 1440/5 = 288, ASA 112/5 = 22.4, abandonment 3/8 = 0.375
            SL ignore 3/5 = 0.6, against 3/8 = 0.375, for 4/8 = 0.5; target 80 % not met.

Tickets, resolutions and FCR (a repeat = an inbound contact of the same commercial partner, any channel, within
(closed, closed + 7 days])
-------------------------------------------------------------------------------------------------------------
T1   Anna (Acme)  A  alice  voice  closed 11-02 12:00  repeat: S2 from Ben (Acme) by SMS on 11-05 -> not FCR
T2   Carl         A  alice  voice  closed 11-03 12:00  CARL2 at 11-10 12:00:01, 1 s past the window -> FCR
T3   Dora         B  bob    sms    closed 11-04 12:00  DORA2 by voice at 11-11 12:00:00, the window's last second
                                                      (inclusive) -> not FCR
T4   Frank        B  bob    sms    closed 11-05 15:00  S1 came before, OUT is outbound -> FCR
T8   Gina         B  bob    -      closed 11-06 10:00  no later contact -> FCR
T5   Eve          A  alice  voice  closed 10-30 12:00  before the period: not counted
T10  (nobody)     A  alice  -      closed 11-03 13:00  no customer: a repeat cannot be seen, not counted
T6   Eve          A  alice  voice  open                backlog
T7   Carl         B  bob    sms    open                backlog
T9   (nobody)     B  -      -      open                backlog
FCR: both 3/5 = 0.6, team A 1/2, team B 2/3; with a 3-day window T3 becomes FCR: 4/5.

Surveys (answered in the period unless said): CSAT T1 5, T2 4, T3 2, T4 3 (+ T5 1 on 10-20, + T8 sent, unanswered)
NPS T1 10, T2 7, T3 0, T4 9, T8 8.
    CSAT both 2/4 = 0.5, A 2/2 = 1.0, B 0/2 = 0.0
    NPS  both (2 promoters - 1 detractor) / 5 = 0.2, A (1 - 0)/2 = 0.5, B (1 - 1)/3 = 0.0

SLA timers (state, date = reached_at or the deadline):
    T1 first_response met (600 s), T1 resolution met, T2 first_response met_late (5400 s), T2 resolution met,
    T3 first_response breached (no reached_at), T4 first_response met (1200 s), T4 resolution met_late,
    T6 first_response running (no outcome), T5 resolution met on 10-30 (outside)
    both: 4 met / 7 = 0.5714, first_response 2/4, resolution 2/3, first response median 1200 s,
          p90 1200 + 0.8 * (5400 - 1200) = 4560 s
    A: 3/4 = 0.75, B: 1/3

Backlog (open tickets now): A 1 (T6), B 2 (T7, T9), both 3.
Upsell (won flags by the lead's close date): F1 Anna/V1/T1 won 1250 on 11-04, F2 Carl lost, F3 Frank/S1/T4 won 800
on 11-06, F4 Dora/V3/T3 won 500 on 11-12 (outside): both 2050, A 1250, B 800.
"""

from datetime import datetime

from odoo import Command
from odoo.tests import freeze_time, new_test_user

DATE_FROM = datetime(2026, 11, 2)
DATE_TO = datetime(2026, 11, 9)


def at(day, hour=0, minute=0, second=0, month=11):
    """A moment of autumn 2026, UTC (November unless said)."""
    return datetime(2026, month, day, hour, minute, second)


class ReportsCase:
    """Two teams of one company, their agents, supervisor and manager, a voice and a Twilio SMS channel."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.write(
            {
                "cc_sl_threshold_seconds": 20,
                "cc_sl_target_percent": 80.0,
                "cc_sl_abandon_treatment": "against",
                "cc_short_abandon_seconds": 5,
                "cc_fcr_window_days": 7,
                "cc_survey_nps": False,
            }
        )
        agent = "cc_omnichannel.group_cc_agent"
        cls.alice = new_test_user(cls.env, "ccr_alice", groups=agent, name="Alice Agent", email="alice@example.com")
        cls.anton = new_test_user(cls.env, "ccr_anton", groups=agent, name="Anton Agent", email="anton@example.com")
        cls.bob = new_test_user(cls.env, "ccr_bob", groups=agent, name="Bob Agent", email="bob@example.com")
        cls.sam = new_test_user(
            cls.env,
            "ccr_sam",
            groups="cc_omnichannel.group_cc_supervisor",
            name="Sam Supervisor",
            email="sam@example.com",
        )
        cls.max = new_test_user(
            cls.env, "ccr_max", groups="cc_omnichannel.group_cc_manager", name="Max Manager", email="max@example.com"
        )
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_a = Team.create(
            {
                "name": "Front Line",
                "user_ids": [Command.set((cls.alice | cls.anton | cls.sam).ids)],
                "user_id": cls.sam.id,
            }
        )
        cls.team_b = Team.create({"name": "Back Office", "user_ids": [Command.set(cls.bob.ids)]})
        Channel = cls.env["cc.channel"]
        cls.voice = Channel.create(
            {
                "name": "Phone",
                "channel_type": "voice",
                "provider": "twilio",
                "team_id": cls.team_a.id,
                "company_id": cls.company.id,
                "signing_secret": "twilio-auth-token",
                "inbound_creates": "interaction",
            }
        )
        cls.sms = Channel.create(
            {
                "name": "SMS",
                "channel_type": "sms",
                "provider": "twilio",
                "team_id": cls.team_b.id,
                "company_id": cls.company.id,
                "signing_secret": "twilio-auth-token",
                "api_account": "AC123",
                "api_token": "twilio-auth-token",
                "sender_id": "+3225550000",
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme", "is_company": True})
        cls.anna = Partner.create({"name": "Anna", "parent_id": cls.acme.id, "email": "anna@acme.example.com"})
        cls.ben = Partner.create({"name": "Ben", "parent_id": cls.acme.id, "phone": "+32470000002"})
        cls.carl = Partner.create({"name": "Carl", "email": "carl@example.com"})
        cls.dora = Partner.create({"name": "Dora", "email": "dora@example.com"})
        cls.eve = Partner.create({"name": "Eve", "email": "eve@example.com"})
        cls.frank = Partner.create({"name": "Frank", "phone": "+32470000006"})
        cls.gina = Partner.create({"name": "Gina", "email": "gina@example.com"})

    @classmethod
    def contact(cls, channel, received_at, state, team, user=None, partner=None, **vals):
        return cls.env["cc.interaction"].create(
            {
                "channel_id": channel.id,
                "direction": "inbound",
                "received_at": received_at,
                "state": state,
                "team_id": team.id,
                "user_id": user.id if user else False,
                "partner_id": partner.id if partner else False,
                **vals,
            }
        )

    @classmethod
    def ticket(cls, partner, team, user=None, channel=None, **vals):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": f"Request of {partner.name if partner else 'nobody'}",
                "description": "Please help",
                "partner_id": partner.id if partner else False,
                "team_id": team.id,
                "user_id": user.id if user else False,
                "cc_channel_id": channel.id if channel else False,
                **vals,
            }
        )

    @classmethod
    def solve(cls, ticket, when):
        with freeze_time(when):
            ticket.stage_id = cls.stage_done


class KpiDataCase(ReportsCase):
    """The hand-built week of the module docstring, and a second company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._create_contacts()
        cls._create_tickets()
        cls._create_surveys()
        cls._create_timers()
        cls._create_upsells()
        cls._create_second_company()

    @classmethod
    def _create_contacts(cls):
        voice, sms, team_a, team_b = cls.voice, cls.sms, cls.team_a, cls.team_b
        alice, anton, bob = cls.alice, cls.anton, cls.bob
        cls.pre = cls.contact(voice, at(1, 23, 59, 59), "done", team_a, alice, wait_seconds=1, talk_seconds=100)
        cls.v1 = cls.contact(voice, at(2), "done", team_a, alice, cls.anna, wait_seconds=10, talk_seconds=300)
        cls.v2 = cls.contact(voice, at(2, 10), "done", team_a, alice, cls.carl, wait_seconds=20, talk_seconds=200)
        cls.v3 = cls.contact(voice, at(3, 9), "done", team_a, anton, cls.dora, wait_seconds=40, talk_seconds=100)
        cls.v4 = cls.contact(voice, at(3, 11), "missed", team_a, partner=cls.eve, wait_seconds=15)
        cls.v5 = cls.contact(voice, at(3, 12), "missed", team_a, wait_seconds=3)
        cls.v6 = cls.contact(voice, at(4, 9), "missed", team_a, wait_seconds=60)
        cls.v7 = cls.contact(voice, at(4, 10), "queued", team_a)
        cls.s1 = cls.contact(
            sms,
            at(2, 14),
            "done",
            team_b,
            bob,
            cls.frank,
            address="+32470000006",
            answered_at=at(2, 14, 0, 30),
            ended_at=at(2, 14, 10, 30),
        )
        cls.s2 = cls.contact(
            sms, at(5, 9), "done", team_b, bob, cls.ben, address="+32470000002", wait_seconds=12, talk_seconds=240
        )
        cls.s3 = cls.contact(sms, at(5, 10), "missed", team_b, wait_seconds=25)
        cls.s4 = cls.contact(sms, at(6, 9), "missed", team_b, ended_at=at(6, 9, 0, 4))
        cls.out = cls.contact(sms, at(6, 10), "done", team_b, bob, cls.frank, direction="outbound")
        cls.post = cls.contact(voice, at(9), "done", team_a, alice, wait_seconds=5, talk_seconds=50)
        cls.carl2 = cls.contact(sms, at(10, 12, 0, 1), "done", team_b, bob, cls.carl, wait_seconds=5, talk_seconds=60)
        cls.dora2 = cls.contact(voice, at(11, 12), "done", team_a, anton, cls.dora, wait_seconds=10, talk_seconds=90)

    @classmethod
    def _create_tickets(cls):
        team_a, team_b, alice, bob = cls.team_a, cls.team_b, cls.alice, cls.bob
        cls.t1 = cls.ticket(cls.anna, team_a, alice, cls.voice)
        cls.t2 = cls.ticket(cls.carl, team_a, alice, cls.voice)
        cls.t3 = cls.ticket(cls.dora, team_b, bob, cls.sms)
        cls.t4 = cls.ticket(cls.frank, team_b, bob, cls.sms)
        cls.t5 = cls.ticket(cls.eve, team_a, alice, cls.voice)
        cls.t6 = cls.ticket(cls.eve, team_a, alice, cls.voice)
        cls.t7 = cls.ticket(cls.carl, team_b, bob, cls.sms)
        cls.t8 = cls.ticket(cls.gina, team_b, bob)
        cls.t9 = cls.ticket(None, team_b)
        cls.t10 = cls.ticket(None, team_a, alice)
        cls.solve(cls.t5, at(30, 12, month=10))
        cls.solve(cls.t1, at(2, 12))
        cls.solve(cls.t2, at(3, 12))
        cls.solve(cls.t10, at(3, 13))
        cls.solve(cls.t3, at(4, 12))
        cls.solve(cls.t4, at(5, 15))
        cls.solve(cls.t8, at(6, 10))

    @classmethod
    def _create_surveys(cls):
        def answered(ticket, kind, score, when, channel_type):
            return {
                "ticket_id": ticket.id,
                "partner_id": ticket.partner_id.id,
                "kind": kind,
                "score": score,
                "state": "answered",
                "answered_at": when,
                "sent_at": when,
                "channel_type": channel_type,
                "expires_at": at(30),
            }

        cls.env["cc.survey"].create(
            [
                answered(cls.t1, "csat", 5, at(3, 10), "email"),
                answered(cls.t2, "csat", 4, at(4, 10), "email"),
                answered(cls.t3, "csat", 2, at(5, 16), "sms"),
                answered(cls.t4, "csat", 3, at(6, 12), "sms"),
                answered(cls.t5, "csat", 1, at(20, 12, month=10), "email"),
                answered(cls.t1, "nps", 10, at(3, 10, 5), "email"),
                answered(cls.t2, "nps", 7, at(4, 10, 5), "email"),
                answered(cls.t3, "nps", 0, at(5, 16, 5), "sms"),
                answered(cls.t4, "nps", 9, at(6, 12, 5), "sms"),
                answered(cls.t8, "nps", 8, at(6, 13), "email"),
                {
                    "ticket_id": cls.t8.id,
                    "partner_id": cls.gina.id,
                    "kind": "csat",
                    "state": "sent",
                    "sent_at": at(6, 10),
                    "channel_type": "email",
                    "expires_at": at(30),
                },
            ]
        )

    @classmethod
    def _create_timers(cls):
        # A policy for another team: it gives our tickets no timer of its own.
        other_team = cls.env["helpdesk.ticket.team"].create({"name": "Elsewhere"})
        cls.policy = cls.env["cc.sla.policy"].create({"name": "Reporting", "team_ids": [Command.set(other_team.ids)]})

        def timer(ticket, kind, state, start_at, deadline, reached_at=False):
            return {
                "ticket_id": ticket.id,
                "policy_id": cls.policy.id,
                "kind": kind,
                "target_minutes": 60,
                "state": state,
                "start_at": start_at,
                "deadline": deadline,
                "reached_at": reached_at,
            }

        cls.env["cc.sla.timer"].create(
            [
                timer(cls.t1, "first_response", "met", at(2), at(2, 1), at(2, 0, 10)),
                timer(cls.t1, "resolution", "met", at(2), at(2, 16), at(2, 12)),
                timer(cls.t2, "first_response", "met_late", at(2, 10), at(2, 11), at(2, 11, 30)),
                timer(cls.t2, "resolution", "met", at(2, 10), at(3, 18), at(3, 12)),
                timer(cls.t3, "first_response", "breached", at(3, 8), at(3, 9)),
                timer(cls.t4, "first_response", "met", at(5, 9), at(5, 10), at(5, 9, 20)),
                timer(cls.t4, "resolution", "met_late", at(5, 9), at(5, 13), at(5, 15)),
                timer(cls.t6, "first_response", "running", at(4, 9), at(4, 10)),
                timer(cls.t5, "resolution", "met", at(29, 9, month=10), at(30, 17, month=10), at(30, 12, month=10)),
            ]
        )

    @classmethod
    def _create_upsells(cls):
        cls.rule = cls.env["cc.upsell.rule"].create(
            {"name": "Fiber", "trigger": "inbound", "offer": "Fiber 1 Gbps", "expected_revenue": 1000}
        )
        Flag = cls.env["cc.upsell.flag"]
        cls.f1 = Flag.raise_for(cls.rule, cls.anna, interaction=cls.v1, ticket=cls.t1)
        cls.f2 = Flag.raise_for(cls.rule, cls.carl, interaction=cls.v2, ticket=cls.t2)
        cls.f3 = Flag.raise_for(cls.rule, cls.frank, interaction=cls.s1, ticket=cls.t4)
        cls.f4 = Flag.raise_for(cls.rule, cls.dora, interaction=cls.v3, ticket=cls.t3)
        (cls.f1 | cls.f2 | cls.f3 | cls.f4).action_accept()
        cls.f1.lead_id.expected_revenue = 1250
        cls.f3.lead_id.expected_revenue = 800
        cls.f4.lead_id.expected_revenue = 500
        with freeze_time(at(4, 15)):
            cls.f1.lead_id.action_set_won()
        with freeze_time(at(5, 15)):
            cls.f2.lead_id.action_set_lost()
        with freeze_time(at(6, 11)):
            cls.f3.lead_id.action_set_won()
        with freeze_time(at(12, 10)):
            cls.f4.lead_id.action_set_won()

    @classmethod
    def _create_second_company(cls):
        cls.company_2 = cls.env["res.company"].create({"name": "Other Contact Center"})
        cls.zed = new_test_user(
            cls.env,
            "ccr_zed",
            groups="cc_omnichannel.group_cc_agent",
            name="Zed Agent",
            email="zed@example.com",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.team_z = cls.env["helpdesk.ticket.team"].create(
            {"name": "Other Desk", "company_id": cls.company_2.id, "user_ids": [Command.set(cls.zed.ids)]}
        )
        cls.sms_2 = cls.env["cc.channel"].create(
            {
                "name": "SMS 2",
                "channel_type": "sms",
                "provider": "twilio",
                "team_id": cls.team_z.id,
                "company_id": cls.company_2.id,
                "signing_secret": "other-token",
            }
        )
        zoe = cls.env["res.partner"].create({"name": "Zoe", "company_id": cls.company_2.id})
        cls.z1 = cls.contact(
            cls.sms_2, at(3, 9, 30), "done", cls.team_z, cls.zed, zoe, wait_seconds=8, talk_seconds=120
        )
        cls.z2 = cls.contact(cls.sms_2, at(3, 10, 30), "missed", cls.team_z, wait_seconds=30)

    # --- helpers -----------------------------------------------------------------------------------

    def kpis(self, domain=None, groupby=None, user=None, date_from=DATE_FROM, date_to=DATE_TO):
        Kpi = self.env["cc.kpi"].with_user(user) if user else self.env["cc.kpi"]
        return Kpi.compute(date_from, date_to, domain=domain, groupby=groupby)

    def ours(self, domain=(), groupby=None, **kwargs):
        """The figures of our two teams (a database with other data keeps them apart)."""
        return self.kpis([("team_id", "in", (self.team_a | self.team_b).ids), *domain], groupby, **kwargs)

    def by(self, rows, name):
        return {row[name]: row for row in rows}

    def assertFigures(self, row, expected, msg=None):
        """Each expected figure, floats to 6 places; other keys of the row are not checked."""
        for key, value in expected.items():
            with self.subTest(key=key, msg=msg):
                if isinstance(value, float):
                    self.assertIsNotNone(row[key], f"{key} is None")
                    self.assertAlmostEqual(row[key], value, places=6, msg=f"{key}")
                elif isinstance(value, dict):
                    self.assertEqual(set(row[key]), set(value), key)
                    for sub, sub_value in value.items():
                        self.assertAlmostEqual(row[key][sub], sub_value, places=6, msg=f"{key}[{sub}]")
                else:
                    self.assertEqual(row[key], value, key)
