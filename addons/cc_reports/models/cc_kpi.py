from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.cc_sla.models.cc_sla_target import TARGET_KINDS

from ..tools import kpi
from .cc_kpi_summary import SUMMED_FIELDS

DIMENSIONS = ("channel_type", "team_id", "user_id", "company_id")
GRANULARITIES = ("day", "week", "month")
CONTRACT_KEYS = (
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
)

# How each source reaches the dimensions and its date, in SQL; aliases are those of the sources' FROM clauses.
SOURCES = {
    "resolutions": (
        {name: f"r.{name}" for name in DIMENSIONS},
        "r.closed_date",
        "FROM cc_kpi_ticket r",
    ),
    "surveys": ({name: f"s.{name}" for name in DIMENSIONS}, "s.answered_at", "FROM cc_survey s"),
    "timers": ({name: f"tm.{name}" for name in DIMENSIONS}, "tm.date", "FROM cc_kpi_sla_outcome tm"),
    "backlog": ({name: f"r.{name}" for name in DIMENSIONS}, None, "FROM cc_kpi_ticket r"),
    "upsell": (
        {
            "channel_type": "i.channel_type",
            "team_id": "t.team_id",
            "user_id": "t.user_id",
            "company_id": "f.company_id",
        },
        "l.date_closed",
        """FROM cc_upsell_flag f
           JOIN crm_lead l ON l.id = f.lead_id
      LEFT JOIN helpdesk_ticket t ON t.id = f.ticket_id
      LEFT JOIN cc_interaction i ON i.id = f.interaction_id""",
    ),
}


# What compute() reads besides the contacts, each a method _<name>.
SOURCE_NAMES = ("fcr", "surveys", "sla", "backlog", "upsell")


class CcKpi(models.AbstractModel):
    """The contact-center KPIs, computed with the industry's definitions (cc_reports/tools/kpi.py)."""

    _name = "cc.kpi"
    _description = "Contact Center KPIs"

    @api.model
    def compute(self, date_from, date_to, domain=None, groupby=None):
        """KPIs of the contacts received in [date_from, date_to), one dict per group.

        `groupby`: any of channel_type, team_id, user_id, company_id and date:day|week|month. Each dict holds the
        group's values under those names, then offered, handled, abandoned, aht, asa, abandon_rate, service_level,
        fcr, csat, nps, sla_compliance, backlog, upsell_revenue (rates as fractions 0..1, times in seconds, None
        where nothing was measured), plus sla_compliance_by_kind, first_response_median and first_response_p90.
        `domain` filters the contacts; its conditions on the four dimensions filter the other sources too.
        What a user sees is limited to their role: agents their own figures, supervisors their teams'.
        """
        self.env["cc.kpi.contact"].refresh()
        return self._compute(date_from, date_to, domain, groupby)

    def _compute(self, date_from, date_to, domain=None, groupby=None, sources=SOURCE_NAMES):
        """compute() on the facts as they are (no refresh), the contacts' figures and those of `sources` only."""
        groupby = list(groupby or [])
        self._check_groupby(groupby)
        date_from, date_to = fields.Datetime.to_datetime(date_from), fields.Datetime.to_datetime(date_to)
        settings = self.env.company.cc_kpi_settings()
        filters = self._dimension_filters(domain)
        groups = defaultdict(dict)
        for key, figures in self._contact_figures(date_from, date_to, domain, groupby, settings).items():
            groups[key].update(figures)
        for source in sources:
            for key, figures in getattr(self, f"_{source}")(date_from, date_to, groupby, filters, settings).items():
                groups[key].update(figures)
        return [self._row(key, groupby, groups[key]) for key in sorted(groups, key=_sort_key)]

    def _check_groupby(self, groupby):
        for spec in groupby:
            name, _, granularity = spec.partition(":")
            if name not in (*DIMENSIONS, "date") or (name == "date" and granularity not in GRANULARITIES):
                raise UserError(self.env._("KPIs cannot be grouped by %s.", spec))

    def _row(self, key, groupby, figures):
        row = dict(zip(groupby, key, strict=True))
        row.update({name: figures.get(name) for name in CONTRACT_KEYS})
        row["offered"] = row["offered"] or 0
        row["handled"] = row["handled"] or 0
        row["abandoned"] = row["abandoned"] or 0
        for extra in ("sla_compliance_by_kind", "first_response_median", "first_response_p90", "service_level_met"):
            row[extra] = figures.get(extra)
        return row

    # --- who sees what ------------------------------------------------------------------------------

    def _scope(self):
        """{dimension: allowed ids} for the current user's role, always within their companies."""
        scope = {"company_id": self.env.companies.ids}
        user = self.env.user
        if self.env.su or user.has_group("cc_omnichannel.group_cc_manager"):
            return scope
        if user.has_group("cc_omnichannel.group_cc_supervisor"):
            scope["team_id"] = self.env["helpdesk.ticket.team"].search([("user_ids", "in", user.id)]).ids
        else:
            scope["user_id"] = [user.id]
        return scope

    def _dimension_filters(self, domain):
        """The role's scope, narrowed by the domain's `dimension = / in value` conditions."""
        filters = {name: set(ids) for name, ids in self._scope().items()}
        for leaf in domain or []:
            if isinstance(leaf, (list, tuple)) and len(leaf) == 3 and leaf[0] in DIMENSIONS and leaf[1] in ("=", "in"):
                values = set(leaf[2] if isinstance(leaf[2], (list, tuple)) else [leaf[2]])
                filters[leaf[0]] = filters[leaf[0]] & values if leaf[0] in filters else values
        return filters

    # --- contacts: the fact table, through _read_group --------------------------------------------------

    def _contact_figures(self, date_from, date_to, domain, groupby, settings):
        scope = [Domain(name, "in", list(ids)) for name, ids in self._scope().items()]
        conditions = Domain.AND([domain or [], *scope])
        totals = defaultdict(lambda: [0] * len(SUMMED_FIELDS))
        read_groupby = [_fact_groupby(spec) for spec in groupby]
        aggregates = [f"{name}:sum" for name in SUMMED_FIELDS]
        for model, in_periods in self._contact_sources(date_from, date_to, domain, groupby):
            for row in self.env[model]._read_group(in_periods & conditions, read_groupby, aggregates):
                key = tuple(_period_key(spec, value) for spec, value in zip(groupby, row[: len(groupby)], strict=True))
                sums = totals[key]
                for index, value in enumerate(row[len(groupby) :]):
                    sums[index] += value or 0
        figures = {}
        for key, sums in totals.items():
            figures[key] = kpi.contact_kpis(kpi.ContactTotals(*sums), settings)
            figures[key]["service_level_met"] = kpi.service_level_met(figures[key]["service_level"], settings)
        return figures

    def _contact_sources(self, date_from, date_to, domain, groupby):
        """[(model, domain)]: where the contact sums of [date_from, date_to) are read.

        Whole UTC days from the day sums, unless days are grouped in another time zone; whole hours from the hour
        sums; the minutes before the first whole hour and after the last one from the contact rows. The contact
        rows alone when the sums cannot answer: a domain on anything but the four dimensions, days cut in a time
        zone whose offset is not a whole number of hours.
        """
        contacts_only = [("cc.kpi.contact", _spans([(date_from, date_to)]))]
        if any(condition.field_expr not in DIMENSIONS for condition in Domain(domain or []).iter_conditions()):
            return contacts_only
        offsets = {timedelta()}
        if any(spec.startswith("date") for spec in groupby):
            tz_name = self.env.context.get("tz")
            tz = pytz.timezone(tz_name if tz_name in pytz.all_timezones_set else "UTC")
            offsets = {pytz.utc.localize(moment).astimezone(tz).utcoffset() for moment in (date_from, date_to)}
        first_hour, last_hour = _whole("hour", date_from, date_to)
        if first_hour >= last_hour or any(offset % timedelta(hours=1) for offset in offsets):
            return contacts_only
        first_day, last_day = _whole("day", first_hour, last_hour)
        if first_day >= last_day or offsets != {timedelta()}:
            first_day = last_day = last_hour  # whole hours only
        parts = [
            ("cc.kpi.summary", "day", [(first_day, last_day)]),
            ("cc.kpi.summary", "hour", [(first_hour, first_day), (last_day, last_hour)]),
            ("cc.kpi.contact", None, [(date_from, first_hour), (last_hour, date_to)]),
        ]
        return [
            (model, _spans(spans) & (Domain("period", "=", period) if period else Domain.TRUE))
            for model, period, spans in parts
            if any(start < end for start, end in spans)
        ]

    # --- the other sources, one grouped SQL query each ------------------------------------------------------

    def _grouped(self, source, select, date_from, date_to, groupby, filters, where=None):
        dimensions, date_expr, from_clause = SOURCES[source]
        if date_expr is None and any(spec.startswith("date") for spec in groupby):
            return []  # a stock (the backlog) has no value per day
        keys = [self._group_expr(spec, dimensions, date_expr) for spec in groupby]
        conditions = [SQL("(%s) IN %s", SQL(dimensions[name]), tuple(ids or [None])) for name, ids in filters.items()]
        if date_expr:
            conditions.append(SQL("%s >= %s AND %s < %s", SQL(date_expr), date_from, SQL(date_expr), date_to))
        query = SQL(
            "SELECT %s %s %s WHERE %s %s %s",
            SQL(", ").join([*keys, select]) if keys else select,
            SQL(from_clause),
            SQL(""),
            SQL(" AND ").join(conditions) if conditions else SQL("TRUE"),
            where or SQL(),
            SQL("GROUP BY %s", SQL(", ").join(SQL(str(n + 1)) for n in range(len(keys)))) if keys else SQL(),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        return [
            (tuple(_key_value(value) for value in row[: len(keys)]), row[len(keys) :]) for row in self.env.cr.fetchall()
        ]

    def _group_expr(self, spec, dimensions, date_expr):
        name, _, granularity = spec.partition(":")
        if name == "date":  # periods in the user's time zone, as _read_group counts them for the contacts
            tz = self.env.context.get("tz")
            local = (
                SQL("timezone(%s, timezone('UTC', %s))", tz, SQL(date_expr))
                if tz in pytz.all_timezones_set
                else SQL(date_expr)
            )
            return SQL("date_trunc(%s, %s)::date", granularity, local)
        return SQL(dimensions[name])

    def _fcr(self, date_from, date_to, groupby, filters, settings):
        repeat = SQL("r.first_repeat_at <= r.closed_date + %s * interval '1 day'", settings.fcr_window_days)
        rows = self._grouped(
            "resolutions",
            SQL("count(*), count(*) FILTER (WHERE %s IS NOT TRUE)", repeat),
            date_from,
            date_to,
            groupby,
            filters,
            SQL("AND r.customer_id IS NOT NULL"),
        )
        return {key: {"fcr": kpi.share(resolved_first_time, resolved)} for key, (resolved, resolved_first_time) in rows}

    def _surveys(self, date_from, date_to, groupby, filters, settings):
        select = SQL(
            """count(*) FILTER (WHERE s.kind = 'csat'), count(*) FILTER (WHERE s.kind = 'csat' AND s.score >= 4),
               count(*) FILTER (WHERE s.kind = 'nps'), count(*) FILTER (WHERE s.kind = 'nps' AND s.score >= 9),
               count(*) FILTER (WHERE s.kind = 'nps' AND s.score <= 6)"""
        )
        rows = self._grouped("surveys", select, date_from, date_to, groupby, filters, SQL("AND s.state = 'answered'"))
        return {
            key: {
                "csat": kpi.csat_from_counts(satisfied, csat_answers),
                "nps": kpi.nps_from_counts(promoters, detractors, nps_answers),
            }
            for key, (csat_answers, satisfied, nps_answers, promoters, detractors) in rows
        }

    def _sla(self, date_from, date_to, groupby, filters, settings):
        kinds = [kind for kind, _label in TARGET_KINDS]
        select = SQL(
            """count(*) FILTER (WHERE tm.state = 'met'), count(*) FILTER (WHERE tm.state <> 'met'),
               %s,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY tm.reached_seconds)
                   FILTER (WHERE tm.kind = 'first_response' AND tm.reached_seconds IS NOT NULL),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY tm.reached_seconds)
                   FILTER (WHERE tm.kind = 'first_response' AND tm.reached_seconds IS NOT NULL)""",
            SQL(", ").join(
                SQL(
                    "count(*) FILTER (WHERE tm.kind = %s AND tm.state = 'met'), count(*) FILTER (WHERE tm.kind = %s)",
                    kind,
                    kind,
                )
                for kind in kinds
            ),
        )
        figures = {}
        for key, (met, missed, *by_kind, median, p90) in self._grouped(
            "timers", select, date_from, date_to, groupby, filters
        ):
            counts = dict(zip(kinds, zip(by_kind[::2], by_kind[1::2], strict=True), strict=True))
            figures[key] = {
                "sla_compliance": kpi.sla_compliance_from_counts(met, missed),
                "sla_compliance_by_kind": {
                    kind: kpi.sla_compliance_from_counts(kind_met, decided - kind_met)
                    for kind, (kind_met, decided) in counts.items()
                    if decided
                }
                or None,  # nothing measured
                "first_response_median": median,
                "first_response_p90": p90,
            }
        return figures

    def _backlog(self, date_from, date_to, groupby, filters, settings):
        now = fields.Datetime.now()
        select = SQL(
            "count(*), avg(EXTRACT(EPOCH FROM %s - r.opened_at)), max(EXTRACT(EPOCH FROM %s - r.opened_at))",
            now,
            now,
        )
        return {
            key: {"backlog": count, "backlog_mean_age": mean_age, "backlog_max_age": max_age}
            for key, (count, mean_age, max_age) in self._grouped(
                "backlog", select, date_from, date_to, groupby, filters, SQL("AND r.open")
            )
        }

    def _upsell(self, date_from, date_to, groupby, filters, settings):
        rows = self._grouped(
            "upsell",
            SQL("COALESCE(sum(f.won_revenue), 0)"),
            date_from,
            date_to,
            groupby,
            filters,
            SQL("AND f.state = 'won'"),
        )
        return {key: {"upsell_revenue": float(revenue)} for key, (revenue,) in rows}


def _whole(unit, start, end):
    """(first, last): the whole hours or days (`unit`, UTC) of [start, end) are [first, last), none if first >= last."""
    zeroed = {"minute": 0, "second": 0, "microsecond": 0} | ({"hour": 0} if unit == "day" else {})
    first = start.replace(**zeroed)
    if first < start:
        first += timedelta(**{f"{unit}s": 1})
    return first, end.replace(**zeroed)


def _spans(spans):
    """The domain of the rows dated within one of the non-empty [start, end) `spans`."""
    return Domain.OR([Domain("date", ">=", start) & Domain("date", "<", end) for start, end in spans if start < end])


def _fact_groupby(spec):
    """Weeks are read by day and rolled up into ISO weeks (from Monday), as PostgreSQL's date_trunc counts them;
    _read_group would start them on the locale's first day."""
    name, _, granularity = spec.partition(":")
    if name != "date":
        return name
    return "date:day" if granularity == "week" else f"date:{granularity}"


def _period_key(spec, value):
    if spec == "date:week" and value:
        day = value.date() if isinstance(value, datetime) else value
        return (day - timedelta(days=day.weekday())).isoformat()
    return _key_value(value)


def _key_value(value):
    """A group value as the caller reads it: an id for a record, an ISO date for a period, else itself."""
    if isinstance(value, models.BaseModel):
        return value.id or False
    if isinstance(value, datetime):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if value is not None else False


def _sort_key(key):
    return tuple((value is False, str(value)) for value in key)
