from odoo.exceptions import UserError
from odoo.tests import TransactionCase, freeze_time, tagged

from .common import DATE_FROM, DATE_TO, KpiDataCase, at
from .test_kpi_formulas import CONTRACT_KEYS

# The figures below are worked out by hand in common.py's docstring; each test repeats the arithmetic it checks.

TEAM_A_CONTACTS = {
    "offered": 5,
    "handled": 3,
    "abandoned": 2,
    "aht": 200.0,
    "asa": 70 / 3,
    "abandon_rate": 0.4,
}
TEAM_B_CONTACTS = {
    "offered": 3,
    "handled": 2,
    "abandoned": 1,
    "aht": 420.0,
    "asa": 21.0,
    "abandon_rate": 1 / 3,
}


@tagged("post_install", "-at_install")
class TestKpiService(KpiDataCase, TransactionCase):
    def test_contract_keys(self):
        row = self.ours()[0]
        extras = {"sla_compliance_by_kind", "first_response_median", "first_response_p90", "service_level_met"}
        self.assertLessEqual(CONTRACT_KEYS | extras, set(row))

    def test_totals_of_the_week(self):
        rows = self.ours()
        self.assertEqual(len(rows), 1, "no groupby: one row")
        self.assertFigures(
            rows[0],
            {
                # V1 V2 V3 S1 S2 handled; V4 V6 S3 abandoned; V5 and S4 are short abandons, V7 has no outcome, PRE and
                # POST are outside [date_from, date_to), OUT is outbound.
                "offered": 8,
                "handled": 5,
                "abandoned": 3,
                "aht": 288.0,  # (300 + 200 + 100 + 600 + 240) / 5, S1's 600 s from answered_at to ended_at
                "asa": 22.4,  # (10 + 20 + 40 + 30 + 12) / 5, S1's 30 s from received_at to answered_at
                "abandon_rate": 0.375,  # 3 / 8
                "service_level": 0.375,  # against: (V1 V2 S2) 3 / 8
                "service_level_met": False,  # 37.5 % < 80 %
                "fcr": 0.6,  # T2 T4 T8 of T1 T2 T3 T4 T8
                "csat": 0.5,  # 5 and 4 of 5, 4, 2, 3
                "nps": 0.2,  # (10, 9) - (0), over 10, 7, 0, 9, 8
                "sla_compliance": 4 / 7,  # met: T1 fr, T1 res, T2 res, T4 fr; missed: T2 fr late, T3 fr, T4 res late
                "sla_compliance_by_kind": {"first_response": 0.5, "resolution": 2 / 3},
                "first_response_median": 1200.0,  # of 600, 1200, 5400 (T3's breached timer was never reached)
                "first_response_p90": 4560.0,  # 1200 + 0.8 * (5400 - 1200)
                "backlog": 3,  # T6, T7, T9
                "upsell_revenue": 2050.0,  # F1 1250 + F3 800; F2 lost, F4 won after the period
            },
        )

    def test_grouped_by_team(self):
        rows = self.by(self.ours(groupby=["team_id"]), "team_id")
        self.assertEqual(set(rows), {self.team_a.id, self.team_b.id})
        self.assertFigures(
            rows[self.team_a.id],
            {
                **TEAM_A_CONTACTS,  # AHT (300 + 200 + 100) / 3, ASA (10 + 20 + 40) / 3, abandonment 2 / 5
                "service_level": 0.4,  # (V1 V2) 2 / (3 + 2)
                "fcr": 0.5,  # T2 of T1 T2 (T10 has no customer, T5 was closed before)
                "csat": 1.0,
                "nps": 0.5,  # 5 and 4; (10) - () over 10, 7
                "sla_compliance": 0.75,
                "sla_compliance_by_kind": {"first_response": 0.5, "resolution": 1.0},
                "first_response_median": 3000.0,  # of 600 and 5400
                "backlog": 1,
                "upsell_revenue": 1250.0,
            },
        )
        self.assertFigures(
            rows[self.team_b.id],
            {
                **TEAM_B_CONTACTS,  # AHT (600 + 240) / 2, ASA (30 + 12) / 2, abandonment 1 / 3
                "service_level": 1 / 3,  # (S2) 1 / (2 + 1)
                "fcr": 2 / 3,  # T4 T8 of T3 T4 T8
                "csat": 0.0,
                "nps": 0.0,  # 2 and 3; (9) - (0) over 0, 9
                "sla_compliance": 1 / 3,
                "sla_compliance_by_kind": {"first_response": 0.5, "resolution": 0.0},
                "backlog": 2,
                "upsell_revenue": 800.0,
            },
        )

    def test_grouped_by_channel(self):
        rows = self.by(self.ours(groupby=["channel_type"]), "channel_type")
        # voice and sms have contacts; email only the surveys sent by email; False the ticket with no channel.
        self.assertEqual(set(rows), {"voice", "sms", "email", False})
        self.assertFigures(
            rows["voice"],
            {
                **TEAM_A_CONTACTS,
                "service_level": 0.4,
                "fcr": 0.5,
                "csat": None,
                "sla_compliance": 0.75,
                "backlog": 1,
                "upsell_revenue": 1250.0,
            },
        )
        self.assertFigures(
            rows["sms"],
            {
                **TEAM_B_CONTACTS,
                "service_level": 1 / 3,
                "fcr": 0.5,  # T4 of T3 T4 (T8 came through no channel)
                "csat": 0.0,
                "nps": 0.0,  # CSAT 2, 3; NPS 0, 9
                "sla_compliance": 1 / 3,
                "backlog": 1,
                "upsell_revenue": 800.0,
            },
        )
        self.assertFigures(
            rows["email"],
            {
                "offered": 0,
                "handled": 0,
                "abandoned": 0,
                "aht": None,
                "abandon_rate": None,
                "service_level": None,
                "csat": 1.0,  # 5, 4
                "nps": 1 / 3,  # (10) - () over 10, 7, 8
            },
        )
        self.assertFigures(rows[False], {"offered": 0, "fcr": 1.0, "backlog": 1})  # T8; T9

    def test_grouped_by_agent(self):
        rows = self.by(self.ours(groupby=["user_id"]), "user_id")
        self.assertEqual(set(rows), {self.alice.id, self.anton.id, self.bob.id, False})
        self.assertFigures(
            rows[self.alice.id],
            {
                "offered": 2,
                "handled": 2,
                "abandoned": 0,
                "aht": 250.0,
                "asa": 15.0,
                "abandon_rate": 0.0,
                "service_level": 1.0,
                "fcr": 0.5,
                "csat": 1.0,
                "backlog": 1,
                "upsell_revenue": 1250.0,
            },
        )
        self.assertFigures(
            rows[self.anton.id],
            {
                "offered": 1,
                "handled": 1,
                "aht": 100.0,
                "asa": 40.0,
                "service_level": 0.0,
                "fcr": None,
                "csat": None,
            },
        )
        self.assertFigures(
            rows[self.bob.id],
            {
                "offered": 2,
                "handled": 2,
                "aht": 420.0,
                "asa": 21.0,
                "service_level": 0.5,
                "fcr": 2 / 3,
                "csat": 0.0,
                "backlog": 1,
                "upsell_revenue": 800.0,
            },
        )
        # Nobody's: the abandons V4 V6 S3 (and the short V5 S4, the queued V7), and the open T9.
        self.assertFigures(
            rows[False],
            {
                "offered": 3,
                "handled": 0,
                "abandoned": 3,
                "aht": None,
                "asa": None,
                "abandon_rate": 1.0,
                "service_level": 0.0,
                "backlog": 1,
            },
        )

    def test_grouped_by_day(self):
        rows = self.by(self.ours(groupby=["date:day"]), "date:day")
        self.assertEqual(list(rows), ["2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"])
        # Monday: V1 V2 S1 handled, T1 solved (and repeated), T1's two timers and T2's late first response reached.
        self.assertFigures(
            rows["2026-11-02"],
            {
                "offered": 3,
                "handled": 3,
                "abandoned": 0,
                "aht": 1100 / 3,
                "asa": 20.0,
                "abandon_rate": 0.0,
                "service_level": 2 / 3,
                "fcr": 0.0,
                "csat": None,
                "sla_compliance": 2 / 3,
                "backlog": None,
            },
        )
        # Tuesday: V3 handled late, V4 abandoned within Y, V5 short; T2 solved for good; T1's surveys; T2's
        # resolution met and T3's first response breached.
        self.assertFigures(
            rows["2026-11-03"],
            {
                "offered": 2,
                "handled": 1,
                "abandoned": 1,
                "aht": 100.0,
                "asa": 40.0,
                "abandon_rate": 0.5,
                "service_level": 0.0,
                "fcr": 1.0,
                "csat": 1.0,
                "nps": 1.0,
                "sla_compliance": 0.5,
            },
        )
        # Wednesday: V6 abandoned, V7 still queued; T3 solved (and repeated); T2's surveys; F1 won.
        self.assertFigures(
            rows["2026-11-04"],
            {
                "offered": 1,
                "handled": 0,
                "abandoned": 1,
                "aht": None,
                "asa": None,
                "abandon_rate": 1.0,
                "service_level": 0.0,
                "fcr": 0.0,
                "csat": 1.0,
                "nps": 0.0,
                "sla_compliance": None,
                "upsell_revenue": 1250.0,
            },
        )
        self.assertFigures(
            rows["2026-11-05"],
            {
                "offered": 2,
                "handled": 1,
                "abandoned": 1,
                "aht": 240.0,
                "asa": 12.0,
                "abandon_rate": 0.5,
                "service_level": 0.5,
                "fcr": 1.0,
                "csat": 0.0,
                "nps": -1.0,
                "sla_compliance": 0.5,
            },
        )
        # Friday: only S4, a short abandon: nothing offered, every rate None (no division by zero).
        self.assertFigures(
            rows["2026-11-06"],
            {
                "offered": 0,
                "handled": 0,
                "abandoned": 0,
                "aht": None,
                "asa": None,
                "abandon_rate": None,
                "service_level": None,
                "service_level_met": None,
                "fcr": 1.0,
                "csat": 0.0,
                "nps": 0.5,  # T4 9, T8 8: (1 - 0) / 2
                "upsell_revenue": 800.0,
            },
        )

    def test_grouped_by_day_in_the_users_time_zone(self):
        # New York is UTC-5 in November: V1 (00:00 UTC) and T1's first response (00:10 UTC) fall on Sunday 1st
        # there, every source cut at the same local midnight.
        rows = self.by(
            self.env["cc.kpi"]
            .with_context(tz="America/New_York")
            .compute(
                DATE_FROM, DATE_TO, domain=[("team_id", "in", (self.team_a | self.team_b).ids)], groupby=["date:day"]
            ),
            "date:day",
        )
        self.assertEqual(list(rows)[:2], ["2026-11-01", "2026-11-02"])
        self.assertFigures(
            rows["2026-11-01"], {"offered": 1, "handled": 1, "aht": 300.0, "fcr": None, "sla_compliance": 1.0}
        )
        # V2 (05:00 local), S1 (09:00); T1 solved at 07:00; T1's resolution met, T2's first response late.
        self.assertFigures(
            rows["2026-11-02"], {"offered": 2, "handled": 2, "aht": 400.0, "fcr": 0.0, "sla_compliance": 0.5}
        )

    def test_grouped_by_week_and_team(self):
        rows = self.ours(groupby=["date:week", "team_id"])
        self.assertEqual(
            {(row["date:week"], row["team_id"]) for row in rows},
            {("2026-11-02", self.team_a.id), ("2026-11-02", self.team_b.id)},
        )
        by_team = self.by(rows, "team_id")
        self.assertFigures(by_team[self.team_a.id], {**TEAM_A_CONTACTS, "service_level": 0.4, "fcr": 0.5})
        self.assertFigures(by_team[self.team_b.id], {**TEAM_B_CONTACTS, "service_level": 1 / 3, "fcr": 2 / 3})

    def test_service_level_under_each_abandon_treatment(self):
        expected = {
            # treatment: (both, team A, team B)
            "ignore": (3 / 5, 2 / 3, 1 / 2),  # answered within Y / answered
            "against": (3 / 8, 2 / 5, 1 / 3),  # answered within Y / (answered + abandoned)
            "for": (4 / 8, 3 / 5, 1 / 3),  # (answered + abandoned within Y: V4) / (answered + abandoned)
        }
        for treatment, (both, team_a, team_b) in expected.items():
            with self.subTest(treatment=treatment):
                self.company.cc_sl_abandon_treatment = treatment
                self.assertAlmostEqual(self.ours()[0]["service_level"], both)
                rows = self.by(self.ours(groupby=["team_id"]), "team_id")
                self.assertAlmostEqual(rows[self.team_a.id]["service_level"], team_a)
                self.assertAlmostEqual(rows[self.team_b.id]["service_level"], team_b)
                # Volume and abandonment do not depend on the treatment.
                self.assertFigures(self.ours()[0], {"offered": 8, "abandoned": 3, "abandon_rate": 0.375})

    def test_abandon_treatment_on_a_day_without_answers(self):
        # Wednesday has only V6, abandoned after Y: nothing to count when abandons are ignored.
        for treatment, level in (("ignore", None), ("against", 0.0), ("for", 0.0)):
            with self.subTest(treatment=treatment):
                self.company.cc_sl_abandon_treatment = treatment
                rows = self.by(self.ours(groupby=["date:day"]), "date:day")
                self.assertEqual(rows["2026-11-04"]["service_level"], level)

    def test_service_level_target(self):
        self.company.cc_sl_abandon_treatment = "ignore"
        self.assertIs(self.ours()[0]["service_level_met"], False)  # 60 % < 80 %
        self.company.cc_sl_target_percent = 60
        self.assertIs(self.ours()[0]["service_level_met"], True)  # 60 % reaches 60 %, exactly

    def test_short_abandons_disabled(self):
        # 0 s disables short abandons: V5 (3 s) and S4 (4 s) become abandons, both within Y.
        self.company.cc_short_abandon_seconds = 0
        self.assertFigures(
            self.ours()[0],
            {
                "offered": 10,
                "handled": 5,
                "abandoned": 5,
                "abandon_rate": 0.5,
                "service_level": 0.3,  # against: 3 / 10
            },
        )
        self.company.cc_sl_abandon_treatment = "for"
        self.assertAlmostEqual(self.ours()[0]["service_level"], 0.6)  # (3 + V4 V5 S4) / 10

    def test_longer_short_abandon_threshold(self):
        # 15 s: V4 (15 s) is short too; V6 (60), S3 (25) stay abandons.
        self.company.cc_short_abandon_seconds = 15
        self.assertFigures(
            self.ours()[0], {"offered": 7, "abandoned": 2, "abandon_rate": 2 / 7, "service_level": 3 / 7}
        )

    def test_service_level_threshold(self):
        # Y = 30 s: S1 (30 s) is answered within, S3 (25 s) abandoned within; V3 (40 s), V6 (60 s) still not.
        self.company.cc_sl_threshold_seconds = 30
        self.assertFigures(self.ours()[0], {"service_level": 0.5, "service_level_met": False})  # 4 / 8
        self.company.cc_sl_abandon_treatment = "for"
        self.assertAlmostEqual(self.ours()[0]["service_level"], 0.75)  # (4 + 2) / 8
        self.company.cc_sl_abandon_treatment = "ignore"
        self.assertFigures(self.ours()[0], {"service_level": 0.8, "service_level_met": True})  # 4 / 5 reaches 80 %

    def test_fcr_window(self):
        # 3 days: Ben's SMS (2 days 21 hours after T1) still repeats T1; Dora's call a week after T3 no longer does.
        self.company.cc_fcr_window_days = 3
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.8)  # T2 T3 T4 T8 of 5
        # 2 days: Ben's SMS no longer repeats T1 either.
        self.company.cc_fcr_window_days = 2
        self.assertAlmostEqual(self.ours()[0]["fcr"], 1.0)

    def test_fcr_repeat_by_a_colleague_on_another_channel(self):
        # Without Ben's SMS T1 is resolved at the first contact; an outbound message is never a repeat.
        self.s2.partner_id = self.gina
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.8)  # T1 T2 T4 T8 of 5
        self.out.write({"partner_id": self.anna.id, "received_at": at(3)})
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.8)

    def test_domain_filters_every_source(self):
        rows = self.kpis([("team_id", "=", self.team_b.id)])
        self.assertEqual(len(rows), 1)
        self.assertFigures(
            rows[0], {**TEAM_B_CONTACTS, "fcr": 2 / 3, "csat": 0.0, "backlog": 2, "upsell_revenue": 800.0}
        )
        rows = self.ours([("channel_type", "=", "voice")])
        self.assertFigures(rows[0], {**TEAM_A_CONTACTS, "fcr": 0.5, "csat": None, "backlog": 1})

    def test_empty_period(self):
        # October 2026, first week: nothing was received, solved, answered, reached or won.
        rows = self.ours(date_from=at(1, month=10), date_to=at(8, month=10))
        self.assertEqual(len(rows), 1)
        self.assertFigures(
            rows[0],
            {
                "offered": 0,
                "handled": 0,
                "abandoned": 0,
                "aht": None,
                "asa": None,
                "abandon_rate": None,
                "service_level": None,
                "service_level_met": None,
                "fcr": None,
                "csat": None,
                "nps": None,
                "sla_compliance": None,
                "first_response_median": None,
                "first_response_p90": None,
                "sla_compliance_by_kind": None,
                "backlog": 3,  # the open tickets now: a stock, not a flow of the period
                "upsell_revenue": 0.0,
            },
        )
        self.assertEqual(self.ours(groupby=["date:day"], date_from=at(1, month=10), date_to=at(8, month=10)), [])
        # An empty interval, and a company-wide call: the same, no division by zero.
        self.assertEqual(self.kpis(date_from=DATE_FROM, date_to=DATE_FROM)[0]["offered"], 0)
        self.assertIsNone(self.kpis(date_from=DATE_FROM, date_to=DATE_FROM)[0]["service_level"])

    def test_bounds_of_the_period(self):
        # [date_from, date_to): V1 at 00:00:00 on the first day counts, POST at date_to and PRE before do not.
        rows = self.ours(date_from=at(1, 23, 59, 59), date_to=at(2, 0, 0, 1))
        self.assertEqual(rows[0]["handled"], 2)  # PRE and V1
        rows = self.ours(date_from=DATE_TO, date_to=at(9, 0, 0, 1))
        self.assertEqual(rows[0]["handled"], 1)  # POST
        self.assertEqual(self.ours()[0]["handled"], 5)

    def test_facts_follow_the_interactions(self):
        self.assertEqual(self.ours()[0]["handled"], 5)
        # V7 is answered after 5 s and handled for 35 s; a new contact arrives; V6 goes away.
        self.v7.write(
            {"state": "done", "user_id": self.anton.id, "answered_at": at(4, 10, 0, 5), "ended_at": at(4, 10, 0, 40)}
        )
        self.contact(self.voice, at(6, 15), "done", self.team_a, self.alice, wait_seconds=50, talk_seconds=400)
        self.v6.unlink()
        self.assertFigures(
            self.ours()[0],
            {
                "offered": 9,
                "handled": 7,
                "abandoned": 2,  # + V7 + the new one; V4 S3 without V6
                "aht": (1440 + 35 + 400) / 7,
                "asa": (112 + 5 + 50) / 7,
                "service_level": 4 / 9,  # (V1 V2 S2 V7) within Y, of 7 answered + 2 abandoned
            },
        )

    def test_unknown_groupby(self):
        with self.assertRaises(UserError):
            self.kpis(groupby=["partner_id"])
        with self.assertRaises(UserError):
            self.kpis(groupby=["date:hour"])

    def test_backlog_is_now(self):
        # Solving T7 now takes it off the backlog, whatever the period.
        with freeze_time(at(30)):
            self.t7.stage_id = self.stage_done
        self.assertEqual(self.ours()[0]["backlog"], 2)
        self.assertEqual(self.by(self.ours(groupby=["team_id"]), "team_id")[self.team_b.id]["backlog"], 1)

    def test_archived_tickets_leave_the_backlog(self):
        self.t6.active = False
        self.assertEqual(self.ours()[0]["backlog"], 2)  # T7, T9
        self.assertFalse(
            self.by(self.ours(groupby=["team_id"]), "team_id")[self.team_a.id]["backlog"], "T6 was team A's"
        )
