"""Contact-center KPI formulas, without the ORM.

The ORM layer reads rows with SQL, turns them into the plain values below and calls these functions, so every
formula lives (and is tested) in one place. Nothing here imports Odoo.

Conventions
-----------
* Rates are fractions in ``0..1`` (NPS in ``-1..1``), times are seconds (floats).
* A KPI whose denominator is empty is ``None`` ("nothing was measured"), never a ``ZeroDivisionError`` and
  never a misleading ``0``.
* Invalid input (an unknown setting, a score off its scale, an unknown SLA state) raises ``ValueError``
  instead of being silently dropped.

Definitions
-----------
Volume
    Only contacts with an outcome are *offered*: ``offered = handled + abandoned``. A contact that is neither
    handled nor abandoned (new, still queued, failed) is left out, as it is of every KPI below, because its
    outcome is not known yet. Outbound contacts are not :class:`Contact` rows; the ORM counts them itself.
    A *short abandon* is an abandoned contact with a known wait ``<= short_abandon_seconds`` (when that
    setting is ``> 0``): the customer hung up before anyone could answer (misdial, IVR hiccup), so it is
    removed from offered and abandoned, hence from the abandonment rate and the service level. An
    abandoned contact whose wait is unknown cannot be shown to be short, so it stays abandoned.
    Google CCAI Platform's data dictionary likewise counts abandons "excluding short abandons" and divides
    them by "handled + abandoned" (https://cloud.google.com/contact-center/ccai-platform/docs/data-dictionary).
AHT (average handle time)
    ``sum(talk + hold + after-contact work) / handled``, over handled contacts.
ASA (average speed of answer)
    Mean ``wait_seconds`` of handled contacts whose wait is known.
Abandonment rate
    ``abandoned / offered`` (both after removing short abandons).
Service level
    The share of contacts answered within ``Y = sl_threshold_seconds`` (inclusive: a wait of exactly Y
    seconds is within). ``sl_abandon_treatment`` chooses among the formulas ICMI lists
    (http://www.icmi.com/Resources/QueueTips/2005/March/Service-Level-Calculations.aspx, also
    https://www.callcentrehelper.com/service-level-threshold-calculations-206890.htm):

    * ``"ignore"``: ``answered within Y / answered`` (ICMI formula 2);
    * ``"against"``: ``answered within Y / (answered + abandoned)``, every abandon is a failure (formula 3);
    * ``"for"``: ``(answered within Y + abandoned within Y) / (answered + abandoned)``, an abandon within Y
      is a success and one after Y a failure (formula 1).

    Short abandons are already gone (ICMI formula 5, RingCentral's ``abandonedThresholdSeconds``). A handled
    contact with an unknown wait is left out, since it can be neither a success nor a failure; an abandoned
    one is still counted (its wait does not matter for ``"against"``, and for ``"for"`` it cannot be shown to
    be within Y, so it is a failure).
    :func:`service_level_met` compares the level with the target ``X = sl_target_percent``.
FCR (first contact resolution)
    The share of resolutions after which the same customer did not contact us again, on any channel, within
    ``fcr_window_days`` (the "repeat contact" measure of FCR: ``1 - repeats / resolutions``, see
    https://www.callcentrehelper.com/forum/formula-to-calculate-the-call-resolution-111044.htm). Any contact
    counts as a repeat, whatever its topic. A resolution less than N days old is still provisional.
CSAT
    The share of 4 and 5 answers on a 1..5 scale (the "satisfied customers" method, e.g.
    https://www.sogosurvey.com/help/introduction-to-customer-satisfaction-csat/).
NPS
    ``% promoters (9-10) - % detractors (0-6)`` on a 0..10 scale, returned as a fraction in ``-1..1``: the
    usual score on ``-100..+100`` is this value times 100, which is what the dashboard shows.
SLA compliance
    ``met / (met + met_late + breached)`` over the ``cc.sla.timer`` states, per target kind. A breached timer
    stays a failure whether it later ends ``met_late`` or not; ``running``, ``paused`` and ``at_risk`` timers
    have no outcome yet and are ignored.
Backlog
    Count and age (``now - created``) of open items.
Percentiles
    Linear interpolation between closest ranks, the same as ``numpy.percentile(..., method="linear")`` and
    ``statistics.quantiles(..., method="inclusive")`` (Hyndman & Fan type 7).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "ABANDON_TREATMENTS",
    "SLA_FAILED_STATES",
    "SLA_MET_STATES",
    "SLA_PENDING_STATES",
    "Contact",
    "KpiSettings",
    "abandon_rate",
    "average_handle_time",
    "average_speed_of_answer",
    "backlog",
    "csat",
    "first_contact_resolution",
    "nps",
    "percentile",
    "response_time_distribution",
    "service_level",
    "service_level_met",
    "sla_compliance",
    "sla_compliance_by_kind",
    "summarize",
    "upsell_revenue",
    "volume",
]

ABANDON_TREATMENTS = ("ignore", "against", "for")

SLA_MET_STATES = ("met",)
SLA_FAILED_STATES = ("met_late", "breached")
SLA_PENDING_STATES = ("running", "paused", "at_risk")

CSAT_SCALE = range(1, 6)
CSAT_SATISFIED_MIN = 4
NPS_SCALE = range(11)
NPS_PROMOTER_MIN = 9
NPS_DETRACTOR_MAX = 6


@dataclass(frozen=True)
class KpiSettings:
    """The configurable parts of the KPI definitions (see the module docstring)."""

    sl_threshold_seconds: int = 20
    sl_target_percent: float = 80.0
    sl_abandon_treatment: str = "against"
    short_abandon_seconds: int = 5
    fcr_window_days: int = 7

    def __post_init__(self):
        if self.sl_abandon_treatment not in ABANDON_TREATMENTS:
            raise ValueError(
                f"sl_abandon_treatment must be one of {ABANDON_TREATMENTS}, not {self.sl_abandon_treatment!r}"
            )
        if self.sl_threshold_seconds < 0:
            raise ValueError(f"sl_threshold_seconds cannot be negative: {self.sl_threshold_seconds}")
        if not 0 <= self.sl_target_percent <= 100:
            raise ValueError(f"sl_target_percent must be within 0..100: {self.sl_target_percent}")
        if self.short_abandon_seconds < 0:
            raise ValueError(f"short_abandon_seconds cannot be negative: {self.short_abandon_seconds}")
        _check_window_days(self.fcr_window_days)


@dataclass(frozen=True, slots=True)
class Contact:
    """One inbound contact (an interaction) as the queue saw it.

    ``handled``: an agent answered it; ``abandoned``: the customer left before being answered. Both false means
    it has no outcome yet (still queued, or failed). ``wait_seconds`` is ``None`` when the channel does not
    measure it. ``wrap_seconds`` is the after-contact work.
    """

    handled: bool
    abandoned: bool
    wait_seconds: int | None
    talk_seconds: int = 0
    hold_seconds: int = 0
    wrap_seconds: int = 0

    def __post_init__(self):
        if self.handled and self.abandoned:
            raise ValueError("A contact cannot be both handled and abandoned.")
        durations = (self.wait_seconds or 0, self.talk_seconds, self.hold_seconds, self.wrap_seconds)
        if min(durations) < 0:
            raise ValueError(f"Durations cannot be negative: {self}")

    @property
    def handle_seconds(self) -> int:
        return self.talk_seconds + self.hold_seconds + self.wrap_seconds


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _check_window_days(window_days: float) -> None:
    if window_days <= 0:
        raise ValueError(f"The FCR window must be a positive number of days: {window_days}")


def _is_short_abandon(contact: Contact, settings: KpiSettings) -> bool:
    return (
        contact.abandoned
        and settings.short_abandon_seconds > 0
        and contact.wait_seconds is not None
        and contact.wait_seconds <= settings.short_abandon_seconds
    )


def _counted_abandons(contacts: Iterable[Contact], settings: KpiSettings) -> list[Contact]:
    return [contact for contact in contacts if contact.abandoned and not _is_short_abandon(contact, settings)]


def volume(contacts: Iterable[Contact], settings: KpiSettings) -> dict[str, int]:
    """Count ``offered``, ``handled``, ``abandoned`` and ``short_abandoned`` contacts.

    ``offered = handled + abandoned``; short abandons are counted apart and in neither of them, and contacts
    without an outcome yet are in none of the four counts.
    """
    handled = abandoned = short_abandoned = 0
    for contact in contacts:
        if contact.handled:
            handled += 1
        elif _is_short_abandon(contact, settings):
            short_abandoned += 1
        elif contact.abandoned:
            abandoned += 1
    return {
        "offered": handled + abandoned,
        "handled": handled,
        "abandoned": abandoned,
        "short_abandoned": short_abandoned,
    }


def average_handle_time(contacts: Iterable[Contact]) -> float | None:
    """Mean of talk + hold + after-contact work over handled contacts, in seconds; ``None`` if none was handled."""
    handle_times = [contact.handle_seconds for contact in contacts if contact.handled]
    return _ratio(sum(handle_times), len(handle_times))


def average_speed_of_answer(contacts: Iterable[Contact]) -> float | None:
    """Mean wait of handled contacts whose wait is known, in seconds; ``None`` if there is none."""
    waits = [contact.wait_seconds for contact in contacts if contact.handled and contact.wait_seconds is not None]
    return _ratio(sum(waits), len(waits))


def abandon_rate(contacts: Iterable[Contact], settings: KpiSettings) -> float | None:
    """``abandoned / offered``, short abandons excluded from both; ``None`` when nothing was offered."""
    counts = volume(contacts, settings)
    return _ratio(counts["abandoned"], counts["offered"])


def service_level(contacts: Iterable[Contact], settings: KpiSettings) -> float | None:
    """Share of contacts answered within ``sl_threshold_seconds``, abandons treated per ``sl_abandon_treatment``.

    Returns a fraction in ``0..1``, or ``None`` when no contact counts (see the module docstring).
    """
    contacts = list(contacts)
    threshold = settings.sl_threshold_seconds
    answered_waits = [c.wait_seconds for c in contacts if c.handled and c.wait_seconds is not None]
    successes = sum(1 for wait in answered_waits if wait <= threshold)
    total = len(answered_waits)
    if settings.sl_abandon_treatment != "ignore":
        abandons = _counted_abandons(contacts, settings)
        total += len(abandons)
        if settings.sl_abandon_treatment == "for":
            successes += sum(1 for c in abandons if c.wait_seconds is not None and c.wait_seconds <= threshold)
    return _ratio(successes, total)


def service_level_met(value: float | None, settings: KpiSettings) -> bool | None:
    """Whether a service level (a fraction) reaches the target ``sl_target_percent``; ``None`` for ``None``."""
    if value is None:
        return None
    # Rounding away float noise so that 0.29 (29 of 100) meets a 29 % target although 0.29 * 100 < 29.
    return round(value * 100, 9) >= settings.sl_target_percent


@dataclass(frozen=True)
class ContactTotals:
    """Sums over many contacts from which every contact KPI follows: what the database aggregates.

    ``answered_with_wait``/``wait_seconds`` cover handled contacts whose wait is known; ``answered_within``
    the handled ones answered within the service-level threshold; ``abandoned_within`` the counted abandons
    (short ones excluded) whose known wait was within it.
    """

    handled: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    handle_seconds: int = 0
    answered_with_wait: int = 0
    wait_seconds: int = 0
    answered_within: int = 0
    abandoned_within: int = 0


def contact_totals(contacts: Iterable[Contact], settings: KpiSettings) -> ContactTotals:
    """The :class:`ContactTotals` of a list of contacts, as the database computes them row by row."""
    contacts = list(contacts)
    counts = volume(contacts, settings)
    handled = [c for c in contacts if c.handled]
    waited = [c.wait_seconds for c in handled if c.wait_seconds is not None]
    abandons = _counted_abandons(contacts, settings)
    threshold = settings.sl_threshold_seconds
    return ContactTotals(
        handled=counts["handled"],
        abandoned=counts["abandoned"],
        short_abandoned=counts["short_abandoned"],
        handle_seconds=sum(c.handle_seconds for c in handled),
        answered_with_wait=len(waited),
        wait_seconds=sum(waited),
        answered_within=sum(1 for wait in waited if wait <= threshold),
        abandoned_within=sum(1 for c in abandons if c.wait_seconds is not None and c.wait_seconds <= threshold),
    )


def contact_kpis(totals: ContactTotals, settings: KpiSettings) -> dict[str, float | int | None]:
    """Volume, AHT, ASA, abandonment and service level from totals: the same figures as the list functions."""
    offered = totals.handled + totals.abandoned
    if settings.sl_abandon_treatment == "ignore":
        successes, counted = totals.answered_within, totals.answered_with_wait
    else:
        counted = totals.answered_with_wait + totals.abandoned
        successes = totals.answered_within + (totals.abandoned_within if settings.sl_abandon_treatment == "for" else 0)
    return {
        "offered": offered,
        "handled": totals.handled,
        "abandoned": totals.abandoned,
        "aht": _ratio(totals.handle_seconds, totals.handled),
        "asa": _ratio(totals.wait_seconds, totals.answered_with_wait),
        "abandon_rate": _ratio(totals.abandoned, offered),
        "service_level": _ratio(successes, counted),
    }


def first_contact_resolution(
    resolutions: Iterable[tuple[object, datetime]],
    contacts_by_customer: Mapping[object, Sequence[datetime]],
    window_days: float,
) -> float | None:
    """Share of resolutions with no contact from the same customer in ``(resolved_at, resolved_at + window]``.

    ``resolutions`` holds ``(customer_key, resolved_at)`` pairs; ``contacts_by_customer`` maps a customer key
    to the times of all its contacts, on any channel, sorted ascending. A resolution whose customer key is
    ``None`` is left out, since a repeat from an unknown customer cannot be detected. ``None`` when no
    resolution counts.
    """
    _check_window_days(window_days)
    window = timedelta(days=window_days)
    first_contact = total = 0
    for customer_key, resolved_at in resolutions:
        if customer_key is None:
            continue
        total += 1
        contact_times = contacts_by_customer.get(customer_key, ())
        next_index = bisect_right(contact_times, resolved_at)
        repeated = next_index < len(contact_times) and contact_times[next_index] <= resolved_at + window
        if not repeated:
            first_contact += 1
    return _ratio(first_contact, total)


def _scores_on_scale(scores: Iterable[int | None], scale: range, name: str) -> list[int]:
    answered = [score for score in scores if score is not None]
    for score in answered:
        if score not in scale:
            raise ValueError(f"{name} scores must be whole numbers from {scale[0]} to {scale[-1]}, not {score!r}")
    return answered


def csat(scores: Iterable[int | None]) -> float | None:
    """Share of 4 and 5 answers among 1..5 answers (``None`` entries are unanswered surveys and ignored).

    ``None`` when there is no answer; ``ValueError`` for a score off the scale.
    """
    answered = _scores_on_scale(scores, CSAT_SCALE, "CSAT")
    satisfied = sum(1 for score in answered if score >= CSAT_SATISFIED_MIN)
    return _ratio(satisfied, len(answered))


def nps(scores: Iterable[int | None]) -> float | None:
    """Net Promoter Score as a fraction in ``-1..1``: share of 9-10 answers minus share of 0-6 answers.

    Multiply by 100 for the usual ``-100..+100`` score. ``None`` entries are ignored; ``None`` when there is
    no answer; ``ValueError`` for a score off the 0..10 scale.
    """
    answered = _scores_on_scale(scores, NPS_SCALE, "NPS")
    promoters = sum(1 for score in answered if score >= NPS_PROMOTER_MIN)
    detractors = sum(1 for score in answered if score <= NPS_DETRACTOR_MAX)
    return _ratio(promoters - detractors, len(answered))


def sla_compliance(outcomes: Iterable[str]) -> float | None:
    """``met / (met + met_late + breached)`` over SLA timer states; timers without an outcome are ignored.

    ``None`` when no timer has an outcome; ``ValueError`` for an unknown state.
    """
    met = decided = 0
    for state in outcomes:
        if state in SLA_MET_STATES:
            met += 1
            decided += 1
        elif state in SLA_FAILED_STATES:
            decided += 1
        elif state not in SLA_PENDING_STATES:
            raise ValueError(f"Unknown SLA timer state: {state!r}")
    return _ratio(met, decided)


def sla_compliance_by_kind(rows: Iterable[tuple[str, str]]) -> dict[str, float | None]:
    """:func:`sla_compliance` for each target kind of the ``(kind, state)`` rows, kinds in first-seen order."""
    states_by_kind: dict[str, list[str]] = {}
    for kind, state in rows:
        states_by_kind.setdefault(kind, []).append(state)
    return {kind: sla_compliance(states) for kind, states in states_by_kind.items()}


def backlog(open_items: Iterable[datetime], now: datetime) -> dict[str, float | None]:
    """``count``, ``mean_age_seconds`` and ``max_age_seconds`` of open items, given their creation times.

    The ages are ``None`` when nothing is open.
    """
    # An item stamped a moment after `now` (clocks of two servers) is new, not negatively old.
    ages = [max((now - created).total_seconds(), 0.0) for created in open_items]
    return {
        "count": len(ages),
        "mean_age_seconds": _ratio(sum(ages), len(ages)),
        "max_age_seconds": max(ages, default=None),
    }


def percentile(values: Iterable[float], fraction: float) -> float | None:
    """The ``fraction`` (0..1) quantile of ``values``, linearly interpolated like numpy's default method.

    ``percentile(values, 0.5)`` is the median. ``None`` for no values; ``ValueError`` for a fraction off 0..1.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"The fraction must be within 0..1: {fraction}")
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * fraction
    lower_index = math.floor(position)
    upper_index = min(lower_index + 1, len(ordered) - 1)
    lower, upper = ordered[lower_index], ordered[upper_index]
    interpolated = lower + (position - lower_index) * (upper - lower)
    # Clamped because rounding can push the interpolation a hair past `upper`, which would break monotonicity.
    return float(min(max(interpolated, lower), upper))


def response_time_distribution(seconds: Iterable[float | None]) -> dict[str, float | None]:
    """``count``, ``median`` and ``p90`` of response times in seconds; ``None`` entries (no response) are ignored."""
    measured = [value for value in seconds if value is not None]
    return {
        "count": len(measured),
        "median": percentile(measured, 0.5),
        "p90": percentile(measured, 0.9),
    }


def upsell_revenue(accepted_amounts: Iterable[float | None]) -> float:
    """Total amount of accepted upsell prompts (already in one currency); ``0.0`` when none was accepted."""
    return math.fsum(amount for amount in accepted_amounts if amount is not None)


def summarize(
    contacts: Iterable[Contact],
    settings: KpiSettings,
    *,
    resolutions: Iterable[tuple[object, datetime]] | None = None,
    contacts_by_customer: Mapping[object, Sequence[datetime]] | None = None,
    csat_scores: Iterable[int | None] | None = None,
    nps_scores: Iterable[int | None] | None = None,
    sla_rows: Iterable[tuple[str, str]] | None = None,
    open_items: Iterable[datetime] | None = None,
    now: datetime | None = None,
    upsell_amounts: Iterable[float | None] | None = None,
) -> dict:
    """Every KPI of one group, under exactly the keys of the reporting contract.

    ``offered``, ``handled``, ``abandoned`` (counts); ``aht``, ``asa`` (seconds); ``abandon_rate``,
    ``service_level``, ``fcr``, ``csat`` (fractions); ``nps`` (fraction in -1..1); ``sla_compliance`` (a dict
    of fractions by target kind); ``backlog`` (the :func:`backlog` dict); ``upsell_revenue`` (an amount).
    A KPI whose input was not given is ``None``; FCR needs ``resolutions`` (``contacts_by_customer`` defaults to
    no contacts), the backlog needs ``open_items`` and then ``now`` (``ValueError`` without it).
    """
    if open_items is not None and now is None:
        raise ValueError("The backlog's age needs `now`.")
    contacts = list(contacts)
    counts = volume(contacts, settings)
    fcr = None
    if resolutions is not None:
        fcr = first_contact_resolution(resolutions, contacts_by_customer or {}, settings.fcr_window_days)
    return {
        "offered": counts["offered"],
        "handled": counts["handled"],
        "abandoned": counts["abandoned"],
        "aht": average_handle_time(contacts),
        "asa": average_speed_of_answer(contacts),
        "abandon_rate": _ratio(counts["abandoned"], counts["offered"]),
        "service_level": service_level(contacts, settings),
        "fcr": fcr,
        "csat": None if csat_scores is None else csat(csat_scores),
        "nps": None if nps_scores is None else nps(nps_scores),
        "sla_compliance": None if sla_rows is None else sla_compliance_by_kind(sla_rows),
        "backlog": None if open_items is None else backlog(open_items, now),
        "upsell_revenue": None if upsell_amounts is None else upsell_revenue(upsell_amounts),
    }


def share(part: float, whole: float) -> float | None:
    """``part / whole``, or ``None`` when nothing was measured (``whole`` is 0)."""
    return _ratio(part, whole)


def csat_from_counts(satisfied: int, answers: int) -> float | None:
    """CSAT from counts: answers of 4 or 5 over all answers (the same figure as :func:`csat`)."""
    return _ratio(satisfied, answers)


def nps_from_counts(promoters: int, detractors: int, answers: int) -> float | None:
    """NPS from counts, as a fraction in -1..1 (the same figure as :func:`nps`)."""
    return _ratio(promoters - detractors, answers)


def sla_compliance_from_counts(met: int, missed: int) -> float | None:
    """Timers met on time over timers that ended or breached (met late and breached both miss)."""
    return _ratio(met, met + missed)
