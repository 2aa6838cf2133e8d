"""Upsell rules as plain data: which rules a contact, a solved ticket or a rating may match (no ORM).

The ORM layer (cc.upsell.rule) compiles a company's active rules once into `CompiledRule`s, checks the
message on them here, and asks the database only about what is left: the customer's recent contacts and
prompts, and whether it meets the rules' customer conditions.
"""

import re
from dataclasses import dataclass
from typing import Any


def keyword_pattern(keywords):
    """One pattern for comma-separated words or phrases, each matched as whole words, any case; None when
    there are none."""
    words = [word.strip() for word in (keywords or "").split(",") if word.strip()]
    return re.compile("|".join(rf"\b{re.escape(word)}\b" for word in words), re.IGNORECASE) if words else None


@dataclass(frozen=True)
class CompiledRule:
    id: int
    channel_codes: frozenset  # empty: every channel
    pattern: re.Pattern | None  # None: any message
    min_contacts: int  # 0: no minimum
    window_days: int
    cooldown_days: int
    customers: Any = None  # the customers who qualify, as SQL (FROM, id column, WHERE); None: every customer

    def matches_message(self, channel_type, text):
        """Whether a contact on `channel_type` saying `text` qualifies; channel_type None: not a contact (a
        ticket solved, a rating), on no channel in particular."""
        if channel_type is not None and self.channel_codes and channel_type not in self.channel_codes:
            return False
        return not self.pattern or bool(self.pattern.search(text or ""))

    def matches_contacts(self, contacts_within):
        """`contacts_within`: {days: inbound contacts of the customer within that many days}."""
        return not self.min_contacts or contacts_within.get(self.window_days, 0) >= self.min_contacts


def contact_windows(rules):
    """The windows (days) over which the customer's contacts must be counted for these rules."""
    return sorted({rule.window_days for rule in rules if rule.min_contacts})
