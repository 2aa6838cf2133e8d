from odoo.tests import TransactionCase, tagged

from .common import DATE_FROM, DATE_TO, KpiDataCase, at


@tagged("post_install", "-at_install")
class TestKpiFacts(KpiDataCase, TransactionCase):
    """The stored facts the KPIs are read from: contact sums per hour and day, tickets, kept up to date by the
    incremental refresh. The figures are common.py's."""

    def summed(self, date_from=DATE_FROM, date_to=DATE_TO, period="hour"):
        """(handled, answered within the threshold) of our teams' `period` sums dated in [date_from, date_to)."""
        domain = [
            ("period", "=", period),
            ("date", ">=", date_from),
            ("date", "<", date_to),
            ("team_id", "in", (self.team_a | self.team_b).ids),
        ]
        row = self.env["cc.kpi.summary"]._read_group(domain, [], ["handled:sum", "answered_within:sum"])[0]
        return tuple(value or 0 for value in row)

    def test_a_new_contact_counts_after_the_next_refresh(self):
        Facts = self.env["cc.kpi.contact"]
        Facts.refresh()
        self.assertEqual(self.summed(), (5, 3))  # V1 V2 V3 S1 S2; V1 V2 S2 within 20 s
        self.contact(self.sms, at(6, 15, 20), "done", self.team_b, self.bob, wait_seconds=7, talk_seconds=30)
        self.assertEqual(self.summed(), (5, 3), "not refreshed yet")
        Facts.refresh()
        self.assertEqual(self.summed(), (6, 4))
        self.assertEqual(self.summed(at(6, 15), at(6, 16)), (1, 1), "in the hour it was received")
        self.assertEqual(self.summed(at(6), at(7), "day"), (1, 1), "and its day")
        self.assertEqual(self.summed(period="day"), (6, 4))
        self.assertFigures(self.ours()[0], {"offered": 9, "handled": 6, "aht": (1440 + 30) / 6})

    def test_a_changed_threshold_rebuilds_the_sums(self):
        self.env["cc.kpi.contact"].refresh()
        # Y = 30 s: S1 (30 s) is answered within as well.
        self.company.cc_sl_threshold_seconds = 30
        self.assertEqual(self.summed(), (5, 4))
        self.assertEqual(self.summed(period="day"), (5, 4))
        self.assertAlmostEqual(self.ours()[0]["service_level"], 0.5)  # against: 4 / 8
        self.company.cc_sl_threshold_seconds = 10
        self.assertEqual(self.summed(), (5, 1))  # V1 only
        self.assertAlmostEqual(self.ours()[0]["service_level"], 1 / 8)

    def test_a_stage_made_closing_takes_its_tickets_off_the_backlog(self):
        parts = self.env["helpdesk.ticket.stage"].create({"name": "Waiting for parts"})  # "closed" left empty
        self.t6.stage_id = parts
        self.assertEqual(self.ours()[0]["backlog"], 3, "T6 T7 T9: a stage not flagged closing keeps tickets open")
        # T6 went there an hour ago: no refresh reads it again for its own sake.
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET write_date = write_date - interval '1 hour' WHERE id = %s", [self.t6.id]
        )

        parts.closed = True  # the stage now closes its tickets

        self.assertEqual(self.ours()[0]["backlog"], 2)
        parts.closed = False
        self.assertEqual(self.ours()[0]["backlog"], 3)

    def test_a_moved_contact_leaves_its_former_hour(self):
        contact = self.contact(self.voice, at(6, 16, 30), "done", self.team_a, self.alice, wait_seconds=8)
        self.env["cc.kpi.contact"].refresh()
        self.assertEqual(self.summed(at(6, 16), at(6, 17)), (1, 1))
        contact.received_at = at(6, 18, 5)
        self.env["cc.kpi.contact"].refresh()
        self.assertEqual(self.summed(at(6, 16), at(6, 17)), (0, 0))
        self.assertEqual(self.summed(at(6, 18), at(6, 19)), (1, 1))
        contact.received_at = at(7, 1)
        self.env["cc.kpi.contact"].refresh()
        self.assertEqual(self.summed(at(6), at(7), "day"), (0, 0), "and its former day")
        self.assertEqual(self.summed(at(7), at(8), "day"), (1, 1))
        contact.unlink()
        self.assertEqual(self.summed(at(7), at(8), "day"), (0, 0), "a deleted contact leaves at once")

    def test_period_cut_within_hours(self):
        # From 10:00:01 on Monday to 09:00:01 on Thursday: V2 (10:00:00) is out, S2 (Thursday 09:00:00) in. The
        # minutes at both ends are read from the contact rows, Monday's hours from 11:00 and Thursday's until
        # 09:00 from the hour sums, Tuesday and Wednesday from the day sums.
        row = self.ours(date_from=at(2, 10, 0, 1), date_to=at(5, 9, 0, 1))[0]
        self.assertFigures(
            row,
            {
                "offered": 5,  # S1 V3 S2 handled, V4 V6 abandoned (V5 short, V7 queued)
                "handled": 3,
                "abandoned": 2,
                "aht": (600 + 100 + 240) / 3,
                "asa": (30 + 40 + 12) / 3,
                "service_level": 1 / 5,  # S2 within Y, against
            },
        )

    def test_days_of_a_half_hour_time_zone(self):
        # 18:45 UTC on Tuesday is 00:15 on Wednesday in Kolkata (UTC+5:30): its hour (18:00-19:00 UTC) straddles
        # Kolkata's midnight, so the days there are summed from the contact rows.
        self.contact(self.voice, at(3, 18, 45), "done", self.team_a, self.alice, wait_seconds=5, talk_seconds=60)
        kolkata = self.by(
            self.env["cc.kpi"]
            .with_context(tz="Asia/Kolkata")
            .compute(DATE_FROM, DATE_TO, [("team_id", "in", (self.team_a | self.team_b).ids)], ["date:day"]),
            "date:day",
        )
        self.assertEqual(kolkata["2026-11-03"]["handled"], 1)  # V3
        self.assertEqual(kolkata["2026-11-04"]["handled"], 1)  # the new one
        utc = self.by(self.ours(groupby=["date:day"]), "date:day")
        self.assertEqual(utc["2026-11-03"]["handled"], 2)

    def test_fcr_final_after_its_window(self):
        # T8 (Gina, solved Friday 6th 10:00) has no later contact: first-contact resolved, FCR 3/5.
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.6)
        # A contact one second after the 7-day window does not repeat it: T8 stays resolved, for good.
        late = self.contact(self.sms, at(13, 10, 0, 1), "done", self.team_b, self.bob, self.gina, wait_seconds=5)
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.6)
        # One on the window's last second does: 2/5.
        late.received_at = at(13, 10)
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.4)
        # So does an earlier one; deleting it leaves the later one as the first repeat.
        early = self.contact(self.sms, at(8, 9), "missed", self.team_b, partner=self.gina, wait_seconds=40)
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.4)
        late.received_at = at(14)
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.4, "still repeated by the earlier contact")
        early.unlink()
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.6)
        fact = self.env["cc.kpi.ticket"].search([("ticket_id", "=", self.t8.id)])
        self.assertEqual(fact.first_repeat_at, at(14))

    def test_fcr_follows_the_tickets(self):
        # T8 moves to team A: A now has T1 T2 T8 (T2 T8 first-contact), B T3 T4 (T4).
        self.t8.team_id = self.team_a
        rows = self.by(self.ours(groupby=["team_id"]), "team_id")
        self.assertAlmostEqual(rows[self.team_a.id]["fcr"], 2 / 3)
        self.assertAlmostEqual(rows[self.team_b.id]["fcr"], 1 / 2)
        # Reopened: T4 is no resolution any more... and solved again on Saturday, still in the period.
        self.t4.write({"stage_id": self.stage_new.id, "closed_date": False})
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.5)  # T2 T8 of T1 T2 T3 T8
        self.solve(self.t4, at(7, 12))
        self.assertAlmostEqual(self.ours()[0]["fcr"], 0.6)
