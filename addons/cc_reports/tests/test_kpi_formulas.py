import statistics
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_reports.tools.kpi import (
    Contact,
    KpiSettings,
    abandon_rate,
    average_handle_time,
    average_speed_of_answer,
    backlog,
    contact_kpis,
    contact_totals,
    csat,
    csat_from_counts,
    first_contact_resolution,
    nps,
    nps_from_counts,
    percentile,
    response_time_distribution,
    service_level,
    service_level_met,
    sla_compliance,
    sla_compliance_by_kind,
    sla_compliance_from_counts,
    summarize,
    upsell_revenue,
    volume,
)

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)

CONTRACT_KEYS = {
    "offered",
    "handled",
    "abandoned",
    "aht",
    "asa",
    "abandon_rate",
    "service_level",
    "fcr",
    "csat",
    "nps",
    "sla_compliance",
    "backlog",
    "upsell_revenue",
}

# Y = 20 s, X = 80 %, short abandons = abandoned within 5 s.
DEFAULT_SETTINGS = KpiSettings()
NO_SHORT_ABANDONS = replace(DEFAULT_SETTINGS, short_abandon_seconds=0)


def handled(wait, talk=0, hold=0, wrap=0):
    return Contact(
        handled=True, abandoned=False, wait_seconds=wait, talk_seconds=talk, hold_seconds=hold, wrap_seconds=wrap
    )


def abandoned(wait):
    return Contact(handled=False, abandoned=True, wait_seconds=wait)


QUEUED = Contact(handled=False, abandoned=False, wait_seconds=None)

# Ten contacts with an outcome and one still queued.
#   #   outcome    wait  talk+hold+wrap = handle   within Y=20?   short (<= 5 s)?
#   1   handled      5    120 +  0 + 30 =  150     yes
#   2   handled     10    200 + 40 + 60 =  300     yes
#   3   handled     20     90 +  0 + 30 =  120     yes (boundary, inclusive)
#   4   handled     21    240 + 60 +  0 =  300     no  (one second late)
#   5   handled     45    150 + 30 + 30 =  210     no
#   6   handled     19     60 +  0 +  0 =   60     yes
#   7   abandoned    3                             yes            short
#   8   abandoned    5                             yes            short (boundary, inclusive)
#   9   abandoned   15                             yes            no
#  10   abandoned   60                             no             no
#  11   queued       -                             left out of everything
# handled = 6, answered within Y = 4 (#1, #2, #3, #6)
# AHT = (150 + 300 + 120 + 300 + 210 + 60) / 6 = 1140 / 6 = 190 s
# ASA = (5 + 10 + 20 + 21 + 45 + 19) / 6 = 120 / 6 = 20 s
CONTACTS = [
    handled(5, talk=120, wrap=30),
    handled(10, talk=200, hold=40, wrap=60),
    handled(20, talk=90, wrap=30),
    handled(21, talk=240, hold=60),
    handled(45, talk=150, hold=30, wrap=30),
    handled(19, talk=60),
    abandoned(3),
    abandoned(5),
    abandoned(15),
    abandoned(60),
    QUEUED,
]

NOW = datetime(2025, 3, 10, 12, 0)


@tagged("cc_reports_tools")
class TestSettings(BaseCase):
    def test_defaults(self):
        self.assertEqual(DEFAULT_SETTINGS.sl_threshold_seconds, 20)
        self.assertEqual(DEFAULT_SETTINGS.sl_target_percent, 80.0)
        self.assertEqual(DEFAULT_SETTINGS.sl_abandon_treatment, "against")
        self.assertEqual(DEFAULT_SETTINGS.short_abandon_seconds, 5)
        self.assertEqual(DEFAULT_SETTINGS.fcr_window_days, 7)

    def test_invalid_settings(self):
        cases = [
            {"sl_abandon_treatment": "bogus"},
            {"sl_abandon_treatment": "Against"},
            {"sl_threshold_seconds": -1},
            {"sl_target_percent": 100.5},
            {"sl_target_percent": -1},
            {"short_abandon_seconds": -1},
            {"fcr_window_days": 0},
        ]
        for values in cases:
            with self.subTest(**values), self.assertRaises(ValueError):
                KpiSettings(**values)

    def test_invalid_contacts(self):
        with self.assertRaises(ValueError):
            Contact(handled=True, abandoned=True, wait_seconds=3)
        with self.assertRaises(ValueError):
            Contact(handled=True, abandoned=False, wait_seconds=-1)
        with self.assertRaises(ValueError):
            Contact(handled=True, abandoned=False, wait_seconds=1, talk_seconds=-5)


@tagged("cc_reports_tools")
class TestQueueKpis(BaseCase):
    def test_volume(self):
        # Short abandons (#7, #8) leave offered and abandoned; the queued contact is in no count.
        self.assertEqual(
            volume(CONTACTS, DEFAULT_SETTINGS), {"offered": 8, "handled": 6, "abandoned": 2, "short_abandoned": 2}
        )
        self.assertEqual(
            volume(CONTACTS, NO_SHORT_ABANDONS), {"offered": 10, "handled": 6, "abandoned": 4, "short_abandoned": 0}
        )

    def test_short_abandon_threshold_is_inclusive(self):
        six_seconds = replace(DEFAULT_SETTINGS, short_abandon_seconds=6)
        four_seconds = replace(DEFAULT_SETTINGS, short_abandon_seconds=4)
        self.assertEqual(volume([abandoned(5)], six_seconds)["short_abandoned"], 1)
        self.assertEqual(volume([abandoned(5)], DEFAULT_SETTINGS)["short_abandoned"], 1)
        self.assertEqual(volume([abandoned(5)], four_seconds)["abandoned"], 1)

    def test_abandon_with_unknown_wait_is_not_short(self):
        self.assertEqual(
            volume([abandoned(None)], DEFAULT_SETTINGS),
            {"offered": 1, "handled": 0, "abandoned": 1, "short_abandoned": 0},
        )

    def test_average_handle_time(self):
        self.assertEqual(average_handle_time(CONTACTS), 190.0)  # 1140 / 6

    def test_average_speed_of_answer(self):
        self.assertEqual(average_speed_of_answer(CONTACTS), 20.0)  # 120 / 6

    def test_unknown_wait_is_left_out_of_asa_but_not_of_aht(self):
        chat = handled(None, talk=300)
        self.assertEqual(average_speed_of_answer([*CONTACTS, chat]), 20.0)
        self.assertEqual(average_handle_time([*CONTACTS, chat]), 1440 / 7)

    def test_abandon_rate(self):
        self.assertEqual(abandon_rate(CONTACTS, DEFAULT_SETTINGS), 0.25)  # 2 / 8
        self.assertEqual(abandon_rate(CONTACTS, NO_SHORT_ABANDONS), 0.4)  # 4 / 10

    def test_service_level_with_short_abandons_excluded(self):
        cases = [
            ("ignore", 4 / 6),  # answered within Y / answered
            ("against", 0.5),  # 4 / (6 + 2): #9 and #10 fail
            ("for", 0.625),  # (4 + 1) / (6 + 2): #9 abandoned within Y succeeds, #10 fails
        ]
        for treatment, expected in cases:
            with self.subTest(treatment=treatment):
                kpi_settings = replace(DEFAULT_SETTINGS, sl_abandon_treatment=treatment)
                self.assertAlmostEqual(service_level(CONTACTS, kpi_settings), expected)

    def test_service_level_with_short_abandons_counted(self):
        cases = [
            ("ignore", 4 / 6),  # abandons play no part either way
            ("against", 0.4),  # 4 / (6 + 4)
            ("for", 0.7),  # (4 + 3) / (6 + 4): #7, #8, #9 abandoned within Y succeed, #10 fails
        ]
        for treatment, expected in cases:
            with self.subTest(treatment=treatment):
                kpi_settings = replace(NO_SHORT_ABANDONS, sl_abandon_treatment=treatment)
                self.assertAlmostEqual(service_level(CONTACTS, kpi_settings), expected)

    def test_service_level_with_unknown_waits(self):
        # A handled chat without a wait is neither success nor failure; an abandon without one still counts,
        # as a failure under "for" because it cannot be shown to be within Y.
        contacts = [handled(10), handled(None), abandoned(None)]
        for treatment, expected in [("ignore", 1.0), ("against", 0.5), ("for", 0.5)]:
            with self.subTest(treatment=treatment):
                kpi_settings = replace(DEFAULT_SETTINGS, sl_abandon_treatment=treatment)
                self.assertEqual(service_level(contacts, kpi_settings), expected)

    def test_service_level_met(self):
        self.assertFalse(service_level_met(0.625, DEFAULT_SETTINGS))  # 62.5 % < 80 %
        self.assertTrue(service_level_met(0.8, DEFAULT_SETTINGS))  # the target itself is met
        self.assertTrue(service_level_met(0.625, replace(DEFAULT_SETTINGS, sl_target_percent=62.5)))
        # 29 / 100 * 100 is 28.999999999999996 in floating point, yet 29 answered out of 100 meets 29 %.
        self.assertTrue(service_level_met(29 / 100, replace(DEFAULT_SETTINGS, sl_target_percent=29)))
        self.assertFalse(service_level_met(0.2899, replace(DEFAULT_SETTINGS, sl_target_percent=29)))
        self.assertIsNone(service_level_met(None, DEFAULT_SETTINGS))

    def test_only_abandons(self):
        contacts = [abandoned(10), abandoned(30)]
        self.assertIsNone(average_handle_time(contacts))
        self.assertIsNone(average_speed_of_answer(contacts))
        self.assertEqual(abandon_rate(contacts, DEFAULT_SETTINGS), 1.0)
        self.assertIsNone(service_level(contacts, replace(DEFAULT_SETTINGS, sl_abandon_treatment="ignore")))
        self.assertEqual(service_level(contacts, DEFAULT_SETTINGS), 0.0)
        self.assertEqual(service_level(contacts, replace(DEFAULT_SETTINGS, sl_abandon_treatment="for")), 0.5)

    def test_empty_inputs_give_none(self):
        for contacts in ([], [QUEUED], [abandoned(2)]):  # nothing, no outcome yet, only a short abandon
            with self.subTest(contacts=contacts):
                self.assertIsNone(average_handle_time(contacts))
                self.assertIsNone(average_speed_of_answer(contacts))
                self.assertIsNone(abandon_rate(contacts, DEFAULT_SETTINGS))
                for treatment in ("ignore", "against", "for"):
                    kpi_settings = replace(DEFAULT_SETTINGS, sl_abandon_treatment=treatment)
                    self.assertIsNone(service_level(contacts, kpi_settings))

    def test_accepts_one_shot_iterables(self):
        self.assertEqual(service_level(iter(CONTACTS), DEFAULT_SETTINGS), 0.5)
        self.assertEqual(abandon_rate(iter(CONTACTS), DEFAULT_SETTINGS), 0.25)


@tagged("cc_reports_tools")
class TestTotals(BaseCase):
    def test_totals_give_the_same_figures_as_the_list_functions(self):
        """The database aggregates ContactTotals; every treatment must give what the list functions give."""
        for treatment in ("ignore", "against", "for"):
            for base in (DEFAULT_SETTINGS, NO_SHORT_ABANDONS):
                kpi_settings = replace(base, sl_abandon_treatment=treatment)
                figures = contact_kpis(contact_totals(CONTACTS, kpi_settings), kpi_settings)
                counts = volume(CONTACTS, kpi_settings)
                self.assertEqual(
                    (figures["offered"], figures["handled"], figures["abandoned"]),
                    (counts["offered"], counts["handled"], counts["abandoned"]),
                )
                self.assertEqual(figures["aht"], average_handle_time(CONTACTS))
                self.assertEqual(figures["asa"], average_speed_of_answer(CONTACTS))
                self.assertEqual(figures["abandon_rate"], abandon_rate(CONTACTS, kpi_settings))
                self.assertEqual(figures["service_level"], service_level(CONTACTS, kpi_settings))

    def test_no_contact_gives_none_not_a_division_by_zero(self):
        figures = contact_kpis(contact_totals([], DEFAULT_SETTINGS), DEFAULT_SETTINGS)
        self.assertEqual(figures["offered"], 0)
        self.assertIsNone(figures["aht"])
        self.assertIsNone(figures["service_level"])


class TestFirstContactResolution(BaseCase):
    RESOLVED = datetime(2025, 3, 1, 10, 0)

    def test_repeat_contacts(self):
        resolved = self.RESOLVED
        week = timedelta(days=7)
        contacts_by_customer = {
            # Mailed before the resolution, then phoned 4 days after it: a repeat on another channel.
            "alice": [resolved - timedelta(minutes=10), datetime(2025, 3, 5, 9, 0)],
            "bob": [resolved + week + timedelta(seconds=1)],  # one second after the window: not a repeat
            "carol": [resolved + week],  # on the window's last instant: a repeat
            "erin": [resolved],  # the contact that got resolved, at the same instant: not a repeat
        }
        resolutions = [
            ("alice", resolved),  # repeat on 03-05
            ("alice", datetime(2025, 3, 5, 12, 0)),  # resolved after the phone call, nothing since: FCR
            ("bob", resolved),  # FCR
            ("carol", resolved),  # repeat
            ("dave", resolved),  # never contacted us: FCR
            ("erin", resolved),  # FCR
            (None, resolved),  # unknown customer: left out
        ]
        # 4 FCR out of 6 resolutions that count.
        self.assertAlmostEqual(first_contact_resolution(resolutions, contacts_by_customer, 7), 4 / 6)
        # Over four days carol's contact, 7 days later, is no repeat; alice's, 3 days 23 hours later, still is.
        self.assertAlmostEqual(first_contact_resolution(resolutions, contacts_by_customer, 4), 5 / 6)

    def test_empty_and_invalid(self):
        self.assertIsNone(first_contact_resolution([], {}, 7))
        self.assertIsNone(first_contact_resolution([(None, self.RESOLVED)], {}, 7))
        with self.assertRaises(ValueError):
            first_contact_resolution([("alice", self.RESOLVED)], {}, 0)


@tagged("cc_reports_tools")
class TestSurveys(BaseCase):
    def test_csat(self):
        # Answered: 5, 4, 4, 3, 3, 1, 2, 5 -> satisfied 5, 4, 4, 5 = 4 of 8.
        self.assertEqual(csat([5, 4, 4, 3, 3, 1, 2, 5, None]), 0.5)

    def test_csat_edges(self):
        self.assertEqual(csat([3]), 0.0)
        self.assertEqual(csat([4]), 1.0)
        self.assertEqual(csat([1, 5]), 0.5)
        self.assertIsNone(csat([]))
        self.assertIsNone(csat([None, None]))
        for score in (0, 6, 4.5, "4"):
            with self.subTest(score=score), self.assertRaises(ValueError):
                csat([4, score])

    def test_nps(self):
        # Answered: 10 promoters 10, 9, 9, 10 = 4; passives 8, 7, 7 = 3; detractors 6, 6, 0 = 3.
        # NPS = (4 - 3) / 10 = 0.1, shown as +10.
        self.assertAlmostEqual(nps([10, 9, 9, 8, 7, 7, 6, 6, 0, None, 10]), 0.1)

    def test_nps_edges(self):
        self.assertEqual(nps([6]), -1.0)
        self.assertEqual(nps([7]), 0.0)
        self.assertEqual(nps([8]), 0.0)
        self.assertEqual(nps([9]), 1.0)
        self.assertEqual(nps([0, 10]), 0.0)
        self.assertIsNone(nps([]))
        self.assertIsNone(nps([None]))
        for score in (-1, 11, 9.5):
            with self.subTest(score=score), self.assertRaises(ValueError):
                nps([score])


@tagged("cc_reports_tools")
class TestSlaAndBacklog(BaseCase):
    ROWS = [
        ("first_response", "met"),
        ("first_response", "met"),
        ("first_response", "met_late"),
        ("first_response", "breached"),
        ("first_response", "running"),
        ("first_response", "paused"),
        ("resolution", "met"),
        ("resolution", "met"),
        ("resolution", "met"),
        ("resolution", "breached"),
        ("resolution", "at_risk"),
        ("next_response", "running"),
        ("next_response", "at_risk"),
    ]

    def test_sla_compliance(self):
        # met 5 / (met 5 + met_late 1 + breached 2)
        self.assertEqual(sla_compliance(state for _kind, state in self.ROWS), 0.625)

    def test_sla_compliance_by_kind(self):
        self.assertEqual(
            sla_compliance_by_kind(self.ROWS),
            {
                "first_response": 0.5,  # 2 / (2 + 1 + 1), running and paused ignored
                "resolution": 0.75,  # 3 / (3 + 1), at_risk ignored
                "next_response": None,  # no outcome yet
            },
        )

    def test_sla_empty_and_invalid(self):
        self.assertIsNone(sla_compliance([]))
        self.assertIsNone(sla_compliance(["running", "paused", "at_risk"]))
        self.assertEqual(sla_compliance_by_kind([]), {})
        with self.assertRaises(ValueError):
            sla_compliance(["met", "done"])

    def test_backlog(self):
        created = [
            NOW - timedelta(hours=1),  # 3600 s
            NOW - timedelta(hours=6),  # 21600 s
            NOW - timedelta(days=1),  # 86400 s
        ]
        # mean = (3600 + 21600 + 86400) / 3 = 111600 / 3 = 37200 s
        self.assertEqual(backlog(created, NOW), {"count": 3, "mean_age_seconds": 37200.0, "max_age_seconds": 86400.0})

    def test_backlog_clock_skew_and_empty(self):
        self.assertEqual(
            backlog([NOW + timedelta(seconds=2)], NOW), {"count": 1, "mean_age_seconds": 0.0, "max_age_seconds": 0.0}
        )
        self.assertEqual(backlog([], NOW), {"count": 0, "mean_age_seconds": None, "max_age_seconds": None})


@tagged("cc_reports_tools")
class TestPercentiles(BaseCase):
    def test_linear_interpolation(self):
        # Sorted: 15, 20, 35, 40, 50; numpy 'linear' reads position (n - 1) * q = 4q.
        values = [40, 15, 50, 20, 35]
        cases = [
            (0.0, 15.0),
            (0.25, 20.0),  # position 1
            (0.4, 29.0),  # position 1.6: 20 + 0.6 * (35 - 20)
            (0.5, 35.0),  # position 2
            (0.9, 46.0),  # position 3.6: 40 + 0.6 * (50 - 40)
            (1.0, 50.0),
        ]
        for fraction, expected in cases:
            with self.subTest(fraction=fraction):
                self.assertAlmostEqual(percentile(values, fraction), expected)

    def test_even_count_and_single_value(self):
        # Position 3q: median at 1.5 -> 2.5; p90 at 2.7 -> 3 + 0.7 * (4 - 3) = 3.7.
        self.assertAlmostEqual(percentile([4, 3, 2, 1], 0.5), 2.5)
        self.assertAlmostEqual(percentile([4, 3, 2, 1], 0.9), 3.7)
        self.assertEqual(percentile([7], 0.9), 7.0)

    def test_empty_and_invalid(self):
        self.assertIsNone(percentile([], 0.5))
        for fraction in (-0.1, 1.5, 90):
            with self.subTest(fraction=fraction), self.assertRaises(ValueError):
                percentile([1, 2], fraction)

    def test_response_time_distribution(self):
        self.assertEqual(
            response_time_distribution([40, 15, None, 50, 20, 35]), {"count": 5, "median": 35.0, "p90": 46.0}
        )
        self.assertEqual(response_time_distribution([]), {"count": 0, "median": None, "p90": None})

    @PROPERTY_SETTINGS
    @given(st.lists(st.integers(0, 10**6), min_size=1, max_size=50), st.integers(2, 20), st.data())
    def test_matches_statistics_inclusive_quantiles(self, values, parts, data):
        # statistics.quantiles(method="inclusive") is the same Hyndman & Fan type 7 as numpy's 'linear'.
        if len(values) < 2:
            values = values * 2
        cut = data.draw(st.integers(1, parts - 1), label="cut")
        expected = statistics.quantiles(values, n=parts, method="inclusive")[cut - 1]
        self.assertAlmostEqual(percentile(values, cut / parts), expected, delta=1e-6)

    @PROPERTY_SETTINGS
    @given(
        st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=30),
        st.floats(0, 1),
        st.floats(0, 1),
    )
    def test_monotone_in_the_fraction(self, values, first, second):
        low, high = sorted((first, second))
        low_value, high_value = percentile(values, low), percentile(values, high)
        self.assertLessEqual(low_value, high_value)
        self.assertGreaterEqual(low_value, min(values))
        self.assertLessEqual(high_value, max(values))


@tagged("cc_reports_tools")
class TestSummarize(BaseCase):
    def test_summary_of_the_hand_built_group(self):
        summary = summarize(
            CONTACTS,
            DEFAULT_SETTINGS,
            resolutions=[("alice", NOW - timedelta(days=3)), ("bob", NOW - timedelta(days=3))],
            contacts_by_customer={"alice": [NOW - timedelta(days=1)]},
            csat_scores=[5, 4, 4, 3, 3, 1, 2, 5, None],
            nps_scores=[10, 9, 9, 8, 7, 7, 6, 6, 0, None, 10],
            sla_rows=TestSlaAndBacklog.ROWS,
            open_items=[NOW - timedelta(hours=1)],
            now=NOW,
            upsell_amounts=[120.5, None, 79.5],
        )
        self.assertEqual(set(summary), CONTRACT_KEYS)
        expected = {
            "offered": 8,
            "handled": 6,
            "abandoned": 2,
            "aht": 190.0,
            "asa": 20.0,
            "abandon_rate": 0.25,
            "service_level": 0.5,  # 'against' by default
            "fcr": 0.5,  # alice came back after 2 days, bob did not
            "csat": 0.5,
            "sla_compliance": {"first_response": 0.5, "resolution": 0.75, "next_response": None},
            "backlog": {"count": 1, "mean_age_seconds": 3600.0, "max_age_seconds": 3600.0},
            "upsell_revenue": 200.0,
        }
        self.assertEqual({key: summary[key] for key in expected}, expected)
        self.assertAlmostEqual(summary["nps"], 0.1)

    def test_summary_of_nothing(self):
        summary = summarize([], DEFAULT_SETTINGS)
        self.assertEqual(set(summary), CONTRACT_KEYS)
        self.assertEqual((summary["offered"], summary["handled"], summary["abandoned"]), (0, 0, 0))
        for key in CONTRACT_KEYS - {"offered", "handled", "abandoned"}:
            with self.subTest(key=key):
                self.assertIsNone(summary[key])

    def test_summary_of_empty_inputs(self):
        summary = summarize(
            [], DEFAULT_SETTINGS, resolutions=[], csat_scores=[], nps_scores=[], sla_rows=[], open_items=[], now=NOW
        )
        self.assertIsNone(summary["fcr"])
        self.assertIsNone(summary["csat"])
        self.assertIsNone(summary["nps"])
        self.assertEqual(summary["sla_compliance"], {})
        self.assertEqual(summary["backlog"], {"count": 0, "mean_age_seconds": None, "max_age_seconds": None})
        self.assertEqual(upsell_revenue([]), 0.0)

    def test_backlog_without_now(self):
        with self.assertRaises(ValueError):
            summarize([], DEFAULT_SETTINGS, open_items=[NOW])


waits = st.one_of(st.none(), st.integers(0, 600))
contacts_strategy = st.lists(
    st.one_of(
        st.builds(handled, waits, st.integers(0, 3600), st.integers(0, 600), st.integers(0, 600)),
        st.builds(abandoned, waits),
        st.just(QUEUED),
    ),
    max_size=40,
)
settings_strategy = st.builds(
    KpiSettings,
    sl_threshold_seconds=st.integers(0, 120),
    sl_target_percent=st.floats(0, 100),
    sl_abandon_treatment=st.sampled_from(["ignore", "against", "for"]),
    short_abandon_seconds=st.integers(0, 30),
    fcr_window_days=st.integers(1, 30),
)


@tagged("cc_reports_tools")
class TestProperties(BaseCase):
    @PROPERTY_SETTINGS
    @given(contacts_strategy, settings_strategy)
    def test_queue_rates_are_fractions(self, contacts, kpi_settings):
        counts = volume(contacts, kpi_settings)
        self.assertEqual(counts["offered"], counts["handled"] + counts["abandoned"])
        for rate in (abandon_rate(contacts, kpi_settings), service_level(contacts, kpi_settings)):
            if rate is not None:
                self.assertGreaterEqual(rate, 0.0)
                self.assertLessEqual(rate, 1.0)

    @PROPERTY_SETTINGS
    @given(contacts_strategy, settings_strategy)
    def test_crediting_abandons_never_lowers_the_service_level(self, contacts, kpi_settings):
        against = service_level(contacts, replace(kpi_settings, sl_abandon_treatment="against"))
        credited = service_level(contacts, replace(kpi_settings, sl_abandon_treatment="for"))
        self.assertEqual(against is None, credited is None)
        if against is not None:
            self.assertLessEqual(against, credited)

    @PROPERTY_SETTINGS
    @given(
        st.lists(st.one_of(st.none(), st.integers(1, 5))),
        st.lists(st.one_of(st.none(), st.integers(0, 10))),
        st.lists(st.sampled_from(["running", "paused", "at_risk", "breached", "met", "met_late"])),
    )
    def test_survey_and_sla_bounds(self, csat_scores, nps_scores, sla_states):
        satisfaction, promoter_score, compliance = csat(csat_scores), nps(nps_scores), sla_compliance(sla_states)
        if satisfaction is not None:
            self.assertTrue(0.0 <= satisfaction <= 1.0)
        if compliance is not None:
            self.assertTrue(0.0 <= compliance <= 1.0)
        if promoter_score is not None:
            self.assertTrue(-1.0 <= promoter_score <= 1.0)

    @PROPERTY_SETTINGS
    @given(
        st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.integers(0, 60)), max_size=20),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), st.lists(st.integers(0, 60), max_size=10)),
        st.integers(1, 30),
    )
    def test_fcr_is_a_fraction(self, resolution_days, contact_days, window_days):
        start = datetime(2025, 1, 1)
        resolutions = [(key, start + timedelta(days=day)) for key, day in resolution_days]
        contacts_by_customer = {
            key: sorted(start + timedelta(days=day, hours=1) for day in days) for key, days in contact_days.items()
        }
        rate = first_contact_resolution(resolutions, contacts_by_customer, window_days)
        if rate is not None:
            self.assertTrue(0.0 <= rate <= 1.0)


class TestCountForms(BaseCase):
    """The database aggregates counts: the count forms must agree with the list forms."""

    def test_count_forms_match_list_forms(self):
        csat_scores = [5, 4, 3, 1, 4]
        self.assertEqual(csat_from_counts(3, 5), csat(csat_scores))
        nps_scores = [10, 9, 8, 7, 6, 0]
        self.assertEqual(nps_from_counts(2, 2, 6), nps(nps_scores))
        self.assertEqual(sla_compliance_from_counts(2, 2), sla_compliance(["met", "met", "met_late", "breached"]))
        self.assertIsNone(sla_compliance_from_counts(0, 0))
