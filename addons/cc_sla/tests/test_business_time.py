from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.cc_sla.tools.business_time import BusinessCalendar, WeeklySlot

HOUR = 3600
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAYS = range(MONDAY, SATURDAY)


def office_calendar(tz="UTC", leaves=()):
    """Monday to Friday, 09:00-17:00 local time."""
    return BusinessCalendar([WeeklySlot(day, 9, 17) for day in WEEKDAYS], tz, leaves)


@tagged("cc_sla_tools")
class TestBusinessTimeExamples(BaseCase):
    """Hand-worked cases; 2025-03-07 is a Friday and 2025-03-10 a Monday."""

    def assertDeadline(self, calendar, start, hours, expected):
        self.assertEqual(calendar.add_working_seconds(start, hours * HOUR), expected)

    def assertWorkingHours(self, calendar, start, end, hours):
        self.assertEqual(calendar.working_seconds_between(start, end), hours * HOUR)

    def test_friday_afternoon_rolls_over_the_weekend(self):
        # Friday 15:00-17:00 gives 2 h, the weekend nothing, Monday 09:00 + the remaining 2 h = 11:00.
        deadline = office_calendar().add_working_seconds(datetime(2025, 3, 7, 15), 4 * HOUR)
        self.assertEqual(deadline, datetime(2025, 3, 10, 11))

    def test_start_on_saturday_counts_from_monday_morning(self):
        # Nothing is worked on Saturday or Sunday: Monday 09:00 + 3 h = 12:00.
        deadline = office_calendar().add_working_seconds(datetime(2025, 3, 8, 10, 30), 3 * HOUR)
        self.assertEqual(deadline, datetime(2025, 3, 10, 12))

    def test_deadline_at_the_end_of_a_day_stays_on_that_day(self):
        # Friday 09:00 + 8 h = Friday 17:00, the end of the interval, not Monday 09:00.
        deadline = office_calendar().add_working_seconds(datetime(2025, 3, 7, 9), 8 * HOUR)
        self.assertEqual(deadline, datetime(2025, 3, 7, 17))

    def test_lunch_break(self):
        slots = [WeeklySlot(day, 9, 12) for day in WEEKDAYS] + [WeeklySlot(day, 13, 17) for day in WEEKDAYS]
        calendar = BusinessCalendar(slots)
        # Monday 11:00-12:00 gives 1 h, lunch 12:00-13:00 is skipped, 13:00 + 1 h = 14:00.
        self.assertDeadline(calendar, datetime(2025, 3, 10, 11), 2, datetime(2025, 3, 10, 14))
        # Starting during lunch counts from 13:00: 13:00 + 30 min = 13:30.
        self.assertEqual(
            calendar.add_working_seconds(datetime(2025, 3, 10, 12, 15), HOUR / 2),
            datetime(2025, 3, 10, 13, 30),
        )
        self.assertFalse(calendar.is_working(datetime(2025, 3, 10, 12, 30)))

    def test_split_shift(self):
        slots = [WeeklySlot(day, 6, 10) for day in WEEKDAYS] + [WeeklySlot(day, 16, 20) for day in WEEKDAYS]
        calendar = BusinessCalendar(slots)
        # Monday 09:00-10:00 gives 1 h, then 16:00 + 2 h = 18:00.
        self.assertDeadline(calendar, datetime(2025, 3, 10, 9), 3, datetime(2025, 3, 10, 18))
        # 6 h: 1 h in the morning, 4 h in the evening (16-20), Tuesday 06:00 + 1 h = 07:00.
        self.assertDeadline(calendar, datetime(2025, 3, 10, 9), 6, datetime(2025, 3, 11, 7))

    def test_night_shift_across_midnight(self):
        calendar = BusinessCalendar([WeeklySlot(MONDAY, 22, 24), WeeklySlot(TUESDAY, 0, 6)])
        # Monday 23:00-24:00 gives 1 h and Tuesday 00:00 continues without a gap: 00:00 + 1 h = 01:00.
        self.assertDeadline(calendar, datetime(2025, 3, 10, 23), 2, datetime(2025, 3, 11, 1))
        self.assertTrue(calendar.is_working(datetime(2025, 3, 11, 0)))

    def test_holiday_on_monday_pushes_to_tuesday(self):
        holiday = (datetime(2025, 3, 10), datetime(2025, 3, 11))
        calendar = office_calendar(leaves=[holiday])
        # Friday 15:00-17:00 gives 2 h, the weekend and Monday nothing, Tuesday 09:00 + 2 h = 11:00.
        self.assertDeadline(calendar, datetime(2025, 3, 7, 15), 4, datetime(2025, 3, 11, 11))

    def test_overlapping_and_partial_leaves(self):
        leaves = [
            (datetime(2025, 3, 10, 10), datetime(2025, 3, 10, 11)),
            (datetime(2025, 3, 10, 10, 30), datetime(2025, 3, 10, 12)),  # overlaps the first one
            (datetime(2025, 3, 10, 16), datetime(2025, 3, 11, 10)),  # from Monday 16:00 into Tuesday
        ]
        calendar = office_calendar(leaves=leaves)
        # Monday: 09-10 (1 h) and 12-16 (4 h) are left; Tuesday starts at 10:00.
        self.assertWorkingHours(calendar, datetime(2025, 3, 10), datetime(2025, 3, 11), 5)
        # 09:00 + 1 h reaches 10:00, then 12:00 + 4 h = 16:00, then Tuesday 10:00 + 1 h = 11:00.
        self.assertDeadline(calendar, datetime(2025, 3, 10, 9), 6, datetime(2025, 3, 11, 11))

    def test_brussels_across_the_last_sunday_of_march(self):
        calendar = office_calendar("Europe/Brussels")
        # Before the change (CET = UTC+1): Friday 2025-03-21 14:00 UTC is 15:00 local, 2 h until 17:00
        # local, then Monday 09:00 CET = 08:00 UTC + 2 h = 10:00 UTC.
        self.assertDeadline(calendar, datetime(2025, 3, 21, 14), 4, datetime(2025, 3, 24, 10))
        # Across the change of Sunday 2025-03-30: Friday is still CET (14:00 UTC = 15:00 local, 2 h), but
        # Monday 09:00 CEST = 07:00 UTC + 2 h = 09:00 UTC, one hour earlier in UTC.
        self.assertDeadline(calendar, datetime(2025, 3, 28, 14), 4, datetime(2025, 3, 31, 9))

    def test_brussels_across_the_last_sunday_of_october(self):
        calendar = office_calendar("Europe/Brussels")
        # Before the change (CEST = UTC+2): Friday 2025-10-17 13:00 UTC is 15:00 local, 2 h until 17:00
        # local, then Monday 09:00 CEST = 07:00 UTC + 2 h = 09:00 UTC.
        self.assertDeadline(calendar, datetime(2025, 10, 17, 13), 4, datetime(2025, 10, 20, 9))
        # Across the change of Sunday 2025-10-26: Monday 09:00 CET = 08:00 UTC + 2 h = 10:00 UTC.
        self.assertDeadline(calendar, datetime(2025, 10, 24, 13), 4, datetime(2025, 10, 27, 10))

    def test_brussels_changeover_nights_follow_the_wall_clock(self):
        night_shift = BusinessCalendar([WeeklySlot(SUNDAY, 0, 6)], "Europe/Brussels")
        missing_hour = BusinessCalendar([WeeklySlot(SUNDAY, 2, 3)], "Europe/Brussels")
        spring_weekend = (datetime(2025, 3, 29), datetime(2025, 3, 31))
        autumn_weekend = (datetime(2025, 10, 25), datetime(2025, 10, 27))
        # Spring: local 02:00-03:00 does not exist, so 00:00-06:00 lasts 5 real hours and 02:00-03:00 none.
        self.assertEqual(night_shift.working_seconds_between(*spring_weekend), 5 * HOUR)
        self.assertEqual(missing_hour.working_seconds_between(*spring_weekend), 0)
        # Autumn: local 02:00-03:00 happens twice, so 00:00-06:00 lasts 7 real hours and 02:00-03:00 two.
        self.assertEqual(night_shift.working_seconds_between(*autumn_weekend), 7 * HOUR)
        self.assertEqual(missing_hour.working_seconds_between(*autumn_weekend), 2 * HOUR)
        # Both occurrences of 02:00-03:00 (00:00-01:00 UTC in CEST, 01:00-02:00 UTC in CET) are working.
        self.assertEqual(
            missing_hour.add_working_seconds(datetime(2025, 10, 25), 1.5 * HOUR),
            datetime(2025, 10, 26, 1, 30),
        )

    def test_working_seconds_between_across_weekend_and_holiday(self):
        calendar = office_calendar(leaves=[(datetime(2025, 3, 10), datetime(2025, 3, 11))])
        # Friday 15:00-17:00 (2 h) + weekend (0) + Monday holiday (0) + Tuesday 09:00-11:00 (2 h) = 4 h.
        self.assertEqual(
            calendar.working_seconds_between(datetime(2025, 3, 7, 15), datetime(2025, 3, 11, 11)), 4 * HOUR
        )
        # A whole week with the holiday: 4 days of 8 h.
        self.assertWorkingHours(calendar, datetime(2025, 3, 10), datetime(2025, 3, 17), 32)
        self.assertWorkingHours(calendar, datetime(2025, 3, 11, 11), datetime(2025, 3, 7, 15), 0)

    def test_calendar_without_slots_is_always_working(self):
        calendar = BusinessCalendar([], "Europe/Brussels")
        # Saturday 10:00 + 30 h = Sunday 16:00, weekend and DST or not.
        self.assertDeadline(calendar, datetime(2025, 3, 29, 10), 30, datetime(2025, 3, 30, 16))
        self.assertTrue(calendar.is_working(datetime(2025, 3, 30, 1, 30)))

    def test_calendar_without_slots_still_honours_leaves(self):
        calendar = BusinessCalendar([], leaves=[(datetime(2025, 3, 9), datetime(2025, 3, 9, 12))])
        # Saturday 10:00-24:00 gives 14 h, Sunday 00:00-12:00 is on leave, 12:00 + 16 h = Monday 04:00.
        self.assertDeadline(calendar, datetime(2025, 3, 8, 10), 30, datetime(2025, 3, 10, 4))

    def test_zero_seconds_gives_the_next_working_instant(self):
        calendar = office_calendar()
        friday_noon, friday_evening, monday_morning = (
            datetime(2025, 3, 7, 12),
            datetime(2025, 3, 7, 17),
            datetime(2025, 3, 10, 9),
        )
        self.assertEqual(calendar.add_working_seconds(friday_noon, 0), friday_noon)
        # 17:00 is the first non-working instant, so the next working instant is Monday 09:00.
        self.assertEqual(calendar.add_working_seconds(friday_evening, 0), monday_morning)
        self.assertEqual(calendar.next_working_instant(friday_evening), monday_morning)
        self.assertFalse(calendar.is_working(friday_evening))
        self.assertTrue(calendar.is_working(monday_morning))

    def test_sub_second_targets_are_exact(self):
        calendar = office_calendar()
        start = datetime(2025, 3, 7, 16, 59, 59)
        # 1 s until 17:00, then Monday 09:00 + 0.5 s.
        deadline = calendar.add_working_seconds(start, 1.5)
        self.assertEqual(deadline, datetime(2025, 3, 10, 9, 0, 0, 500000))
        self.assertEqual(calendar.working_seconds_between(start, deadline), 1.5)

    def test_bulk_deadlines_equal_one_by_one(self):
        holiday = (datetime(2025, 3, 17), datetime(2025, 3, 18))
        calendar = office_calendar("America/New_York", leaves=[holiday])
        starts = [datetime(2025, 3, 1) + timedelta(minutes=97 * index) for index in range(1000)]
        targets = [(index % 37) * 1800 for index in range(1000)]
        self.assertEqual(
            calendar.deadlines(starts[:3], 0), [calendar.next_working_instant(start) for start in starts[:3]]
        )
        one_by_one = [calendar.add_working_seconds(*pair) for pair in zip(starts, targets, strict=True)]
        self.assertEqual(calendar.deadlines(starts, targets), one_by_one)
        self.assertEqual(
            calendar.deadlines(starts, 8 * HOUR),
            [calendar.add_working_seconds(start, 8 * HOUR) for start in starts],
        )
        self.assertEqual(calendar.deadlines([], 8 * HOUR), [])

    def test_horizon_grows_in_both_directions(self):
        calendar = office_calendar("Europe/Brussels")
        later, earlier = datetime(2027, 6, 4, 15), datetime(2019, 6, 7, 15)
        calendar.add_working_seconds(datetime(2025, 3, 7, 15), HOUR)
        for start in (later, earlier):
            self.assertEqual(
                calendar.add_working_seconds(start, 4 * HOUR),
                office_calendar("Europe/Brussels").add_working_seconds(start, 4 * HOUR),
            )
        # 4000 h is 100 weeks of 40 h, well past the initial 400-day horizon: the deadline is the same
        # Friday 15:00 (both dates in CEST) 100 weeks later.
        target = 4000 * HOUR
        deadline = calendar.add_working_seconds(earlier, target)
        self.assertEqual(deadline, earlier + timedelta(weeks=100))
        self.assertEqual(calendar.working_seconds_between(earlier, deadline), target)
        # Bulk queries that run past the horizon extend it as well.
        far_start = datetime(2040, 1, 6)
        expected = calendar.add_working_seconds(far_start, target)
        self.assertEqual(calendar.deadlines([far_start], target), [expected])

    def test_no_working_time_raises_instead_of_looping(self):
        closed = BusinessCalendar([], leaves=[(datetime(2025, 1, 1), datetime(2040, 1, 1))])
        with self.assertRaisesRegex(ValueError, "calendar has no working time within"):
            closed.add_working_seconds(datetime(2025, 6, 1), HOUR)
        with self.assertRaisesRegex(ValueError, "calendar has no working time within"):
            closed.next_working_instant(datetime(2025, 6, 1))
        # A long closure that does end is fine.
        reopening = BusinessCalendar([], leaves=[(datetime(2025, 1, 1), datetime(2028, 1, 1))])
        self.assertEqual(reopening.add_working_seconds(datetime(2025, 6, 1), HOUR), datetime(2028, 1, 1, 1))

    def test_overlapping_slots_are_merged(self):
        slots = [WeeklySlot(MONDAY, 9, 13), WeeklySlot(MONDAY, 12, 17), WeeklySlot(MONDAY, 10, 11)]
        calendar = BusinessCalendar(slots)
        # 09:00-17:00 once, not 4 + 5 + 1 = 10 h.
        self.assertWorkingHours(calendar, datetime(2025, 3, 10), datetime(2025, 3, 11), 8)

    def test_invalid_slots(self):
        with self.assertRaisesRegex(ValueError, "must be smaller than hour_to"):
            WeeklySlot(MONDAY, 17, 9)
        with self.assertRaisesRegex(ValueError, "must be smaller than hour_to"):
            WeeklySlot(MONDAY, 9, 9)
        with self.assertRaisesRegex(ValueError, r"within \[0, 24\]"):
            WeeklySlot(MONDAY, 9, 25)
        with self.assertRaisesRegex(ValueError, r"within \[0, 24\]"):
            WeeklySlot(MONDAY, -1, 3)
        with self.assertRaisesRegex(ValueError, "weekday"):
            WeeklySlot(7, 9, 17)
        self.assertEqual(WeeklySlot(SUNDAY, 22, 24.0).hour_to, 24.0)

    def test_invalid_arguments(self):
        calendar = office_calendar()
        aware = datetime(2025, 3, 7, 15, tzinfo=timezone.utc)
        naive = datetime(2025, 3, 7, 15)
        with self.assertRaisesRegex(ValueError, "naive UTC"):
            calendar.add_working_seconds(aware, HOUR)
        with self.assertRaisesRegex(ValueError, "naive UTC"):
            calendar.deadlines([naive, aware], HOUR)
        with self.assertRaisesRegex(ValueError, "naive UTC"):
            calendar.working_seconds_between(naive, aware)
        with self.assertRaisesRegex(ValueError, "naive UTC"):
            office_calendar(leaves=[(aware, aware + timedelta(days=1))])
        with self.assertRaisesRegex(ValueError, "ends before it starts"):
            office_calendar(leaves=[(naive, naive - timedelta(days=1))])
        with self.assertRaisesRegex(ValueError, ">= 0"):
            calendar.add_working_seconds(naive, -1)
        with self.assertRaisesRegex(ValueError, ">= 0"):
            calendar.deadlines([naive], [float("nan")])
        with self.assertRaisesRegex(ValueError, "2 targets"):
            calendar.deadlines([naive], [HOUR, HOUR])


# ---------------------------------------------------------------------- property-based tests

TIMEZONES = ["UTC", "Europe/Brussels", "America/New_York", "Asia/Kolkata"]
# Starts are drawn around the 2025 DST changes (in UTC) of the drawn time zone, where bugs would hide.
DST_CHANGES = {
    "Europe/Brussels": [datetime(2025, 3, 30, 1), datetime(2025, 10, 26, 1)],
    "America/New_York": [datetime(2025, 3, 9, 7), datetime(2025, 11, 2, 6)],
}
NO_DST_ANCHORS = [datetime(2025, 3, 30), datetime(2025, 10, 26)]
START_MINUTES_BEFORE_ANCHOR = 14 * 24 * 60
START_MINUTES_AFTER_ANCHOR = 7 * 24 * 60
# How far the brute-force reference walks from the start.
REFERENCE_MINUTES = 3 * 7 * 24 * 60
MAX_TARGET_MINUTES = 3000

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, database=None)


@st.composite
def weekly_slots(draw):
    weekday = draw(st.integers(MONDAY, SUNDAY))
    minute_from = draw(st.integers(0, 24 * 60 - 1))
    minute_to = draw(st.integers(minute_from + 1, 24 * 60))
    return WeeklySlot(weekday, minute_from / 60, minute_to / 60)


@st.composite
def calendars(draw):
    """(slots, tz, leaves, start): a random calendar and a minute-aligned start near a DST change."""
    tz = draw(st.sampled_from(TIMEZONES))
    slots = draw(st.lists(weekly_slots(), max_size=6))
    anchor = draw(st.sampled_from(DST_CHANGES.get(tz, NO_DST_ANCHORS)))
    start_offset = draw(st.integers(-START_MINUTES_BEFORE_ANCHOR, START_MINUTES_AFTER_ANCHOR))
    start = anchor + timedelta(minutes=start_offset)
    leave_spans = st.tuples(st.integers(-2 * 24 * 60, REFERENCE_MINUTES), st.integers(1, 3 * 24 * 60))
    leaves = [
        (start + timedelta(minutes=offset), start + timedelta(minutes=offset + length))
        for offset, length in draw(st.lists(leave_spans, max_size=4))
    ]
    return slots, tz, leaves, start


def reference_working_minutes(slots, tz, leaves, start, count):
    """Walk ``count`` minutes from ``start`` and tell, for each one, whether it is working time.

    A minute is working when its local wall-clock time lies in a slot and it is not on leave. Slots,
    leaves, starts and the UTC offsets of TIMEZONES are all minute-aligned, so one check per minute is exact.
    """
    zone = ZoneInfo(tz)
    working_minutes_of_week = {
        (slot.weekday, minute)
        for slot in slots
        for minute in range(round(slot.hour_from * 60), round(slot.hour_to * 60))
    }
    one_minute = timedelta(minutes=1)
    moment, aware_moment = start, start.replace(tzinfo=timezone.utc)
    flags = []
    for _ in range(count):
        local = aware_moment.astimezone(zone)
        in_slot = not slots or (local.weekday(), local.hour * 60 + local.minute) in working_minutes_of_week
        on_leave = any(leave_start <= moment < leave_end for leave_start, leave_end in leaves)
        flags.append(in_slot and not on_leave)
        moment += one_minute
        aware_moment += one_minute
    return flags


def reference_deadline_minute(flags, target_minutes):
    """Index of the minute at which ``target_minutes`` of work are done, or None beyond the flags."""
    if target_minutes == 0:
        return next((index for index, working in enumerate(flags) if working), None)
    done = 0
    for index, working in enumerate(flags):
        done += working
        if done == target_minutes:
            return index + 1
    return None


@tagged("cc_sla_tools")
class TestBusinessTimeProperties(BaseCase):
    """Compare the calendar with a brute-force, minute-by-minute reference."""

    @PROPERTY_SETTINGS
    @given(calendars(), st.data())
    def test_add_working_seconds_matches_reference(self, calendar_spec, data):
        slots, tz, leaves, start = calendar_spec
        calendar = BusinessCalendar(slots, tz, leaves)
        flags = reference_working_minutes(slots, tz, leaves, start, REFERENCE_MINUTES)
        target = data.draw(st.integers(0, min(MAX_TARGET_MINUTES, sum(flags))), label="target minutes")
        deadline = calendar.add_working_seconds(start, target * 60)
        expected = reference_deadline_minute(flags, target)
        if expected is None:
            # Only possible with a zero target and no working time at all in the walked minutes.
            self.assertGreaterEqual(deadline, start + timedelta(minutes=REFERENCE_MINUTES))
        else:
            self.assertEqual(deadline, start + timedelta(minutes=expected))
        self.assertEqual(calendar.is_working(start), flags[0])
        if target == 0:
            self.assertEqual(calendar.next_working_instant(start), deadline)

    @PROPERTY_SETTINGS
    @given(calendars(), st.integers(-60, REFERENCE_MINUTES))
    def test_working_seconds_between_matches_reference(self, calendar_spec, end_minutes):
        slots, tz, leaves, start = calendar_spec
        calendar = BusinessCalendar(slots, tz, leaves)
        flags = reference_working_minutes(slots, tz, leaves, start, max(end_minutes, 0))
        end = start + timedelta(minutes=end_minutes)
        self.assertEqual(calendar.working_seconds_between(start, end), sum(flags) * 60)

    @PROPERTY_SETTINGS
    @given(
        calendars(),
        st.integers(0, 59 * 10**6),
        st.lists(st.integers(0, MAX_TARGET_MINUTES * 60 * 10**6), min_size=1, max_size=5),
    )
    def test_working_time_until_the_deadline_is_the_target(self, calendar_spec, start_microseconds, targets):
        slots, tz, leaves, start = calendar_spec
        calendar = BusinessCalendar(slots, tz, leaves)
        start += timedelta(microseconds=start_microseconds)
        seconds = [target / 10**6 for target in targets]
        deadlines = calendar.deadlines([start] * len(seconds), seconds)
        for target, deadline in zip(seconds, deadlines, strict=True):
            self.assertEqual(deadline, calendar.add_working_seconds(start, target))
            self.assertEqual(calendar.working_seconds_between(start, deadline), target)
