"""Working-time arithmetic for SLA deadlines, without the ORM.

A :class:`BusinessCalendar` turns weekly attendance slots (in the calendar's local time) minus leaves
into a sorted list of disjoint working intervals in UTC, plus the cumulative working time before each
interval. Every query is then one or two ``bisect`` calls, so computing thousands of deadlines on one
calendar costs microseconds each instead of one ``resource.calendar.plan_hours`` call per ticket.

The intervals cover a horizon (by default from 7 days before the earliest query to 400 days after it)
that grows lazily, in both directions, when a query falls outside it.

Conventions
-----------
* Every datetime going in or out is naive and in UTC; aware datetimes raise ``ValueError``.
* Time is kept internally as integer microseconds since 1970-01-01 UTC, so results are exact to the
  microsecond and ``working_seconds_between(start, add_working_seconds(start, s)) == s`` holds for
  any ``s`` that is a whole number of microseconds.
* A deadline that falls exactly at the end of a working interval is that end (Friday 17:00), not the
  start of the next interval (Monday 09:00).

Daylight saving time
--------------------
Slots are read as wall-clock times: an instant is working when the local wall-clock time at that instant
(as given by ``zoneinfo``) lies inside a slot. Concretely, for each stretch of time with a constant UTC
offset, slot boundaries are shifted by that offset and clipped to the stretch. Consequences:

* a slot ``09:00-17:00`` in Europe/Brussels is 08:00-16:00 UTC in winter and 07:00-15:00 UTC in summer;
* on the spring-forward night the non-existent local hour contributes nothing: a ``02:00-03:00`` slot is
  empty that day and a ``00:00-06:00`` night shift lasts 5 real hours; a boundary inside the gap
  behaves as if it were the transition instant itself;
* on the fall-back night the repeated local hour is worked twice: a ``02:00-03:00`` slot lasts 2 real
  hours and a ``00:00-06:00`` night shift lasts 7.

This deliberately differs from converting each boundary with ``fold=0``, which on the spring-forward
day would stretch a ``01:00-02:30`` slot up to 03:30 wall-clock time.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

__all__ = ["BusinessCalendar", "WeeklySlot"]

HORIZON_DAYS_BEFORE = 7
HORIZON_DAYS_AFTER = 400
MAX_IDLE_DAYS = 5 * 365
HOURS_PER_DAY = 24

# (start, end) in microseconds since the epoch, or since local midnight for weekly slots.
Interval = tuple[int, int]

_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = _EPOCH.replace(tzinfo=timezone.utc)
_ONE_US = timedelta(microseconds=1)
_US_PER_SECOND = 1_000_000
_US_PER_HOUR = 3600 * _US_PER_SECOND
_US_PER_DAY = 24 * _US_PER_HOUR
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday
# UTC offsets are sampled this often, then the exact change is found by bisection. Two changes closer
# together than this (and cancelling out) would be missed; no current time zone does that.
_OFFSET_SAMPLE_STEP = 6 * _US_PER_HOUR
# Keep a few days away from datetime.min/max so that converting to local time cannot overflow.
_SUPPORTED_MIN = (datetime(1, 1, 8) - _EPOCH) // _ONE_US
_SUPPORTED_MAX = (datetime(9999, 12, 24) - _EPOCH) // _ONE_US


@dataclass(frozen=True)
class WeeklySlot:
    """One attendance line of a weekly calendar, in the calendar's local time.

    ``weekday`` is 0 for Monday to 6 for Sunday; ``hour_from`` and ``hour_to`` are hours of the day as
    floats (8.5 is 08:30), with ``0 <= hour_from < hour_to <= 24`` (24 meaning midnight at the end of
    the day). A night shift crossing midnight is two slots, e.g. 22-24 and 0-6 on the next day.
    """

    weekday: int
    hour_from: float
    hour_to: float

    def __post_init__(self):
        if self.weekday not in range(7):
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday!r}")
        if not (0 <= self.hour_from <= HOURS_PER_DAY and 0 <= self.hour_to <= HOURS_PER_DAY):
            hours = f"{self.hour_from!r}-{self.hour_to!r}"
            raise ValueError(f"slot hours must lie within [0, 24], got {hours} on weekday {self.weekday}")
        if self.hour_from >= self.hour_to:
            raise ValueError(
                f"slot hour_from ({self.hour_from!r}) must be smaller than hour_to ({self.hour_to!r})"
                f" on weekday {self.weekday}"
            )


class _Table(NamedTuple):
    """Working intervals over [low, high), replaced as a whole so that readers never see a half-update."""

    low: int
    high: int
    starts: list[int]
    ends: list[int]
    # cumulative[i] is the working time before interval i; it has one more item than starts.
    cumulative: list[int]


class BusinessCalendar:
    """Weekly working slots in a time zone, minus leaves, answering working-time queries quickly.

    Build one per ``resource.calendar`` (and set of leaves) and reuse it for every ticket.
    """

    def __init__(
        self,
        slots: Iterable[WeeklySlot],
        tz: str = "UTC",
        leaves: Iterable[tuple[datetime, datetime]] = (),
    ):
        """Create a calendar.

        :param slots: weekly slots in the local time of ``tz``; overlapping or touching slots are merged.
            No slots at all means a 24/7 calendar.
        :param tz: IANA time zone name of the slots, e.g. ``"Europe/Brussels"``.
        :param leaves: ``(start, end)`` pairs of naive UTC datetimes that are not worked (holidays,
            closures); they may overlap each other and cover working time only partially.
        """
        self.tz = tz
        self._zone = ZoneInfo(tz)
        self._slots_by_weekday = _slots_by_weekday(list(slots))
        self._leave_starts, self._leave_ends = _merged_leaves(leaves)
        self._table = None

    # ------------------------------------------------------------------ public API

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """Return the naive UTC datetime reached after ``seconds`` of working time from ``start``.

        If ``start`` is outside working time, counting begins at the next working instant. With
        ``seconds == 0`` the result is that next working instant at or after ``start`` (so a zero target
        never lands in non-working time). A deadline that ends exactly with a working interval is the
        end of that interval.

        :raises ValueError: on an aware datetime, a negative or non-finite ``seconds``, or when the
            calendar has no working time for more than ``MAX_IDLE_DAYS`` days.
        """
        return _from_us(self._add_us(_to_us(start), _seconds_to_us(seconds)))

    def deadlines(self, starts: Sequence[datetime], seconds: Sequence[float] | float) -> list[datetime]:
        """Bulk form of :meth:`add_working_seconds`, with the same results, for many tickets at once.

        :param starts: naive UTC start datetimes.
        :param seconds: one working-time target for all starts, or one target per start.
        """
        if isinstance(seconds, numbers.Real):
            amounts = [_seconds_to_us(seconds)] * len(starts)
        else:
            if len(seconds) != len(starts):
                raise ValueError(f"got {len(starts)} starts but {len(seconds)} targets")
            amounts = [_seconds_to_us(amount) for amount in seconds]
        start_us = _many_to_us(starts)
        if not start_us:
            return []
        return self._bulk_add_us(start_us, amounts)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Return the working seconds in ``[start, end)``; 0 if ``end <= start``."""
        start_us, end_us = _to_us(start), _to_us(end)
        if end_us <= start_us:
            return 0.0
        table = self._cover(start_us, end_us)
        return (_worked_before(table, end_us) - _worked_before(table, start_us)) / _US_PER_SECOND

    def is_working(self, moment: datetime) -> bool:
        """Tell whether ``moment`` (naive UTC) is working time."""
        moment_us = _to_us(moment)
        table = self._cover(moment_us)
        index = bisect_right(table.ends, moment_us)
        return index < len(table.ends) and table.starts[index] <= moment_us

    def next_working_instant(self, moment: datetime) -> datetime:
        """Return ``moment`` if it is working time, else the start of the next working interval."""
        return _from_us(self._add_us(_to_us(moment), 0))

    # ------------------------------------------------------------------ queries on the table

    def _add_us(self, start: int, amount: int) -> int:
        table = self._cover(start)
        while True:
            starts, ends, cumulative = table.starts, table.ends, table.cumulative
            index = bisect_right(ends, start)
            if index < len(ends):
                begin = start if start > starts[index] else starts[index]
                if not amount:
                    return begin
                target = cumulative[index] + begin - starts[index] + amount
                if target <= cumulative[-1]:
                    # The interval in which the target is reached: cumulative[i] < target <= cumulative[i+1].
                    index = bisect_left(cumulative, target) - 1
                    return starts[index] + target - cumulative[index]
            table = self._grow_forward(table, start)

    def _bulk_add_us(self, start_us: list[int], amounts: list[int]) -> list[datetime]:
        """The loop of :meth:`_add_us` inlined, since function calls dominate at this scale."""
        earliest, latest = min(start_us), max(start_us)
        table = self._cover(earliest, latest)
        starts, ends, cumulative = table.starts, table.ends, table.cumulative
        count, total = len(ends), cumulative[-1]
        epoch, one_us = _EPOCH, _ONE_US
        results = []
        append = results.append
        for start, amount in zip(start_us, amounts, strict=True):
            index = bisect_right(ends, start)
            if index < count:
                begin = start if start > starts[index] else starts[index]
                if not amount:
                    append(epoch + begin * one_us)
                    continue
                target = cumulative[index] + begin - starts[index] + amount
                if target <= total:
                    index = bisect_left(cumulative, target) - 1
                    append(epoch + (starts[index] + target - cumulative[index]) * one_us)
                    continue
            # Beyond the horizon: take the slow path, which extends it, then refresh the local copies.
            append(_from_us(self._add_us(start, amount)))
            table = self._cover(earliest, latest)
            starts, ends, cumulative = table.starts, table.ends, table.cumulative
            count, total = len(ends), cumulative[-1]
        return results

    # ------------------------------------------------------------------ horizon management

    # Tables are never modified, only replaced: a query keeps using the table it got even if another
    # thread installs a new one meanwhile, so a calendar can be shared between threads.

    def _cover(self, first: int, last: int | None = None) -> _Table:
        """Return a table whose horizon contains [first, last], extending the current one if needed."""
        last = first if last is None else last
        if first < _SUPPORTED_MIN or last >= _SUPPORTED_MAX:
            raise ValueError(f"{_from_us(first)} - {_from_us(last)} is outside the supported date range")
        table = self._table
        if table is None:
            low, high = first - HORIZON_DAYS_BEFORE * _US_PER_DAY, last + HORIZON_DAYS_AFTER * _US_PER_DAY
            return self._extend(low, high, None)
        if table.low <= first and last < table.high:
            return table
        low = table.low if table.low <= first else first - HORIZON_DAYS_BEFORE * _US_PER_DAY
        high = table.high if last < table.high else last + HORIZON_DAYS_AFTER * _US_PER_DAY
        return self._extend(low, high, table)

    def _grow_forward(self, table: _Table, query_start: int) -> _Table:
        """Extend ``table`` forward because a query from ``query_start`` ran past its end."""
        idle_since = max(query_start, table.ends[-1]) if table.ends else query_start
        if table.high - idle_since > MAX_IDLE_DAYS * _US_PER_DAY:
            idle_start = _from_us(idle_since)
            raise ValueError(f"calendar has no working time within {MAX_IDLE_DAYS} days after {idle_start}")
        if table.high >= _SUPPORTED_MAX:
            raise ValueError("working time runs past the supported date range")
        # Grow geometrically so that very large targets need few rebuilds.
        growth = max(HORIZON_DAYS_AFTER * _US_PER_DAY, table.high - table.low)
        return self._extend(table.low, table.high + growth, table)

    def _extend(self, low: int, high: int, table: _Table | None) -> _Table:
        """Install and return a table over [low, high), which contains ``table``, reusing its intervals."""
        low, high = max(low, _SUPPORTED_MIN), min(high, _SUPPORTED_MAX)
        if table is None:
            intervals = self._working_intervals(low, high)
        else:
            before = self._working_intervals(low, table.low)
            after = self._working_intervals(table.high, high)
            intervals = _merge_touching(before + list(zip(table.starts, table.ends, strict=True)) + after)
        cumulative = [0]
        for start, end in intervals:
            cumulative.append(cumulative[-1] + end - start)
        starts = [start for start, _ in intervals]
        ends = [end for _, end in intervals]
        self._table = new_table = _Table(low, high, starts, ends, cumulative)
        return new_table

    def _working_intervals(self, low: int, high: int) -> list[Interval]:
        """Sorted disjoint working intervals within [low, high), leaves already removed."""
        if low >= high:
            return []
        pieces = []
        for segment_start, segment_end, offset in _constant_offset_segments(self._zone, low, high):
            first_day = (segment_start + offset) // _US_PER_DAY
            last_day = (segment_end - 1 + offset) // _US_PER_DAY
            for day in range(first_day, last_day + 1):
                day_start = day * _US_PER_DAY - offset
                for slot_from, slot_to in self._slots_by_weekday[(day + _EPOCH_WEEKDAY) % 7]:
                    start = max(day_start + slot_from, segment_start)
                    end = min(day_start + slot_to, segment_end)
                    if start < end:
                        pieces.append((start, end))
        return _subtract(_merge_touching(pieces), self._leave_starts, self._leave_ends)


# ---------------------------------------------------------------------- helpers


def _to_us(moment: datetime) -> int:
    if moment.tzinfo is not None:
        raise ValueError(f"expected a naive UTC datetime, got {moment!r}")
    return (moment - _EPOCH) // _ONE_US


def _many_to_us(moments: Sequence[datetime]) -> list[int]:
    try:
        # Subtracting an aware datetime from the naive epoch raises TypeError, which checks for free.
        return [(moment - _EPOCH) // _ONE_US for moment in moments]
    except TypeError:
        return [_to_us(moment) for moment in moments]


def _from_us(moment: int) -> datetime:
    return _EPOCH + timedelta(microseconds=moment)


def _seconds_to_us(seconds: float) -> int:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"working time must be a finite number of seconds >= 0, got {seconds!r}")
    return round(seconds * _US_PER_SECOND)


def _worked_before(table: _Table, moment: int) -> int:
    """Working microseconds in [table.low, moment), for ``moment`` within the horizon."""
    index = bisect_right(table.ends, moment)
    if index == len(table.ends):
        return table.cumulative[-1]
    return table.cumulative[index] + max(0, moment - table.starts[index])


def _slots_by_weekday(slots: list[WeeklySlot]) -> list[list[Interval]]:
    """Merged (start, end) microsecond offsets from local midnight, per weekday; 24/7 when empty."""
    if not slots:
        return [[(0, _US_PER_DAY)] for _ in range(7)]
    by_weekday = [[] for _ in range(7)]
    for slot in slots:
        if not isinstance(slot, WeeklySlot):
            raise ValueError(f"expected WeeklySlot instances, got {slot!r}")
        # Odoo stores hours as floats such as 8.333333 for 08:20: round to the second.
        start = round(slot.hour_from * 3600) * _US_PER_SECOND
        end = round(slot.hour_to * 3600) * _US_PER_SECOND
        if start < end:
            by_weekday[slot.weekday].append((start, end))
    return [_merge_touching(sorted(day_slots)) for day_slots in by_weekday]


def _merged_leaves(leaves: Iterable[tuple[datetime, datetime]]) -> tuple[list[int], list[int]]:
    intervals = []
    for start, end in leaves:
        start_us, end_us = _to_us(start), _to_us(end)
        if end_us < start_us:
            raise ValueError(f"leave ends before it starts: {start} - {end}")
        if start_us < end_us:
            intervals.append((start_us, end_us))
    merged = _merge_touching(sorted(intervals))
    return [start for start, _ in merged], [end for _, end in merged]


def _merge_touching(intervals: list[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals of a list sorted by start."""
    merged = []
    for start, end in intervals:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _subtract(intervals: list[Interval], cut_starts: list[int], cut_ends: list[int]) -> list[Interval]:
    """Remove the sorted disjoint cuts from the sorted disjoint intervals."""
    if not cut_starts:
        return intervals
    remaining = []
    for start, end in intervals:
        uncut_from = start
        cut = bisect_right(cut_ends, start)
        while cut < len(cut_starts) and cut_starts[cut] < end:
            if cut_starts[cut] > uncut_from:
                remaining.append((uncut_from, cut_starts[cut]))
            uncut_from = max(uncut_from, cut_ends[cut])
            cut += 1
        if uncut_from < end:
            remaining.append((uncut_from, end))
    return remaining


def _utc_offset_us(zone: ZoneInfo, moment: int) -> int:
    return (_EPOCH_UTC + timedelta(microseconds=moment)).astimezone(zone).utcoffset() // _ONE_US


def _constant_offset_segments(zone: ZoneInfo, low: int, high: int) -> list[tuple[int, int, int]]:
    """Split [low, high) into maximal (start, end, utc_offset) pieces with a constant UTC offset."""
    segments = []
    segment_start, offset = low, _utc_offset_us(zone, low)
    probe = low
    while probe < high - 1:
        sample = min(probe + _OFFSET_SAMPLE_STEP, high - 1)
        if _utc_offset_us(zone, sample) == offset:
            probe = sample
            continue
        # The offset is `offset` at `before` and differs at `after`: bisect down to the microsecond.
        before, after = probe, sample
        while after - before > 1:
            middle = (before + after) // 2
            if _utc_offset_us(zone, middle) == offset:
                before = middle
            else:
                after = middle
        segments.append((segment_start, after, offset))
        segment_start, offset, probe = after, _utc_offset_us(zone, after), after
    segments.append((segment_start, high, offset))
    return segments
