"""SLA policies as plain data, and which one applies to a ticket: no ORM, so that it can be read once and shared.

A policy's conditions are ANDed; an empty condition accepts every ticket. A ticket gets the first policy, in
order, whose conditions accept it. The free `domain` of a policy needs the ORM: `first_matches` asks a
callback to filter the tickets the other conditions accepted.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple


class TicketFacts(NamedTuple):
    """What the conditions of a policy look at, for one ticket (ids, False when not set)."""

    team_id: int | bool = False
    priority: str | bool = False
    channel_code: str | bool = False
    category_id: int | bool = False
    tag_ids: frozenset[int] = frozenset()
    partner_category_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PolicyRule:
    """One SLA policy: the tickets it applies to, its targets and the stages that pause or stop its timers."""

    id: int
    company_id: int
    active: bool
    calendar_id: int
    use_customer_tz: bool
    at_risk_percent: int
    targets: tuple[tuple[str, int], ...] = ()  # (kind, working minutes)
    pause_stage_ids: frozenset[int] = frozenset()
    stop_stage_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()
    priority: str | bool = False
    channel_codes: frozenset[str] = frozenset()
    category_ids: frozenset[int] = frozenset()
    tag_ids: frozenset[int] = frozenset()
    partner_category_ids: frozenset[int] = frozenset()
    domain: str | bool = False  # a domain on tickets, as the policy stores it; False when there is none

    def target_minutes(self) -> dict[str, int]:
        return dict(self.targets)

    def accepts(self, ticket: TicketFacts) -> bool:
        """Whether every condition but the domain accepts the ticket."""
        return (
            (not self.team_ids or ticket.team_id in self.team_ids)
            and (not self.priority or ticket.priority == self.priority)
            and (not self.channel_codes or ticket.channel_code in self.channel_codes)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.tag_ids or not self.tag_ids.isdisjoint(ticket.tag_ids))
            and (not self.partner_category_ids or not self.partner_category_ids.isdisjoint(ticket.partner_category_ids))
        )


class PolicyRules:
    """Every policy of every company, archived ones too (their tickets keep them): in order, and by id."""

    def __init__(self, rules: Iterable[PolicyRule]):
        self.by_id = {rule.id: rule for rule in rules}
        self.active_by_company: dict[int, tuple[PolicyRule, ...]] = {}
        for rule in self.by_id.values():
            if rule.active:
                self.active_by_company[rule.company_id] = (*self.active_by_company.get(rule.company_id, ()), rule)

    def needs(self, company_ids: Iterable[int], condition: str) -> bool:
        """Whether an active policy of these companies has a `condition` (a PolicyRule attribute) at all."""
        return any(
            getattr(rule, condition) for company in company_ids for rule in self.active_by_company.get(company, ())
        )

    def first_matches(
        self,
        tickets: Mapping[Hashable, tuple[int, TicketFacts]],
        filter_by_domain: Callable[[PolicyRule, list], list],
    ) -> dict[Hashable, PolicyRule]:
        """{ticket: its policy} for the tickets ({ticket: (company id, facts)}) an active policy applies to.

        `filter_by_domain(rule, tickets)` returns those of `tickets` the rule's domain accepts.
        """
        matched = {}
        by_company: dict[int, list] = {}
        for ticket, (company_id, _facts) in tickets.items():
            by_company.setdefault(company_id, []).append(ticket)
        for company_id, company_tickets in by_company.items():
            remaining = company_tickets
            for rule in self.active_by_company.get(company_id, ()):
                hits = [ticket for ticket in remaining if rule.accepts(tickets[ticket][1])]
                if hits and rule.domain:
                    hits = filter_by_domain(rule, hits)
                if not hits:
                    continue
                matched.update(dict.fromkeys(hits, rule))
                remaining = [ticket for ticket in remaining if ticket not in matched]
                if not remaining:
                    break
        return matched
