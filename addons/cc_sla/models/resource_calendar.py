import threading
from collections import OrderedDict

from odoo import models

from ..tools.business_time import BusinessCalendar, WeeklySlot

_CACHE_SIZE = 64
_cache = OrderedDict()
_cache_lock = threading.Lock()


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def cc_business_calendar(self, tz=None):
        """This calendar's working time as a BusinessCalendar (attendances minus global leaves), in `tz`.

        Built once and shared between requests; one small query reads the calendar's time zone and a
        fingerprint of its attendances and leaves, which tells when it must be rebuilt, so no write anywhere has
        to invalidate it.
        """
        self.ensure_one()
        calendar_tz, fingerprint = self._cc_fingerprint()
        tz = tz or calendar_tz or "UTC"
        key = (self.env.cr.dbname, self.id, tz, fingerprint)
        with _cache_lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        calendar = BusinessCalendar(self._cc_weekly_slots(), tz, self._cc_leaves())
        with _cache_lock:
            _cache[key] = calendar
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        return calendar

    def _cc_fingerprint(self):
        """(the calendar's time zone, a fingerprint of its attendances and leaves), in one query."""
        self.flush_recordset(["tz"])
        self.env["resource.calendar.attendance"].flush_model(["calendar_id", "write_date"])
        self.env["resource.calendar.leaves"].flush_model(["calendar_id", "write_date"])
        self.env.cr.execute(
            """
            SELECT (SELECT tz FROM resource_calendar WHERE id = %(id)s),
                   (SELECT max(write_date) FROM resource_calendar_attendance WHERE calendar_id = %(id)s),
                   (SELECT count(*) FROM resource_calendar_attendance WHERE calendar_id = %(id)s),
                   (SELECT max(write_date) FROM resource_calendar_leaves WHERE calendar_id = %(id)s),
                   (SELECT count(*) FROM resource_calendar_leaves WHERE calendar_id = %(id)s)
            """,
            {"id": self.id},
        )
        tz, *fingerprint = self.env.cr.fetchone()
        return tz, tuple(fingerprint)

    def _cc_weekly_slots(self):
        # Two-week calendars are read as their first week; flexible hours as 24/7 (no slots).
        attendances = self.attendance_ids.filtered(
            lambda line: not line.display_type and line.day_period != "lunch" and line.week_type in (False, "0")
        )
        return [WeeklySlot(int(line.dayofweek), line.hour_from, line.hour_to) for line in attendances]

    def _cc_leaves(self):
        return [(leave.date_from, leave.date_to) for leave in self.global_leave_ids]
