"""The customer timeline's sources and keyset cursor, as plain data (no ORM).

Every timeline item comes from one branch: a SELECT over the table of a source model. Its id is
`key * ID_SLOTS + slot` (key: the row's id in its own table), so that ids are unique and stable across
branches, and the timeline is ordered on (date to the second, id). A branch reads its rows in that order
from an index on (partner, date_trunc('second', date), key): see `TimelineBranch`.
"""

from dataclasses import dataclass

ID_SLOTS = 16

# The columns of a timeline row, in the order every branch selects them.
COLUMNS = (
    "id",
    "partner_id",
    "date",
    "kind",
    "channel_type",
    "direction",
    "user_id",
    "res_model",
    "res_id",
    "title",
    "summary",
    "company_id",
)


@dataclass(frozen=True)
class TimelineBranch:
    """One source of timeline items, as SQL fragments over the table of `model`.

    The table of `model` is aliased by its own name (`cc_interaction`, `helpdesk_ticket`...): the record rules
    of `model` are applied to it, so a user sees the rows whose source record they may read. Other tables are
    joined in `joins` under short aliases. `key`, `partner` and `date` are plain columns, of the model's table
    in an indexed branch, which needs an index on (partner, date_trunc('second', date), key) there: a
    customer's page is then an index scan.
    """

    slot: int  # 1 to ID_SLOTS - 1, unique among the branches
    model: str  # the record the item opens (res_model, res_id) and whose read access shows it
    kind: str  # one of the timeline's kinds
    key: str  # the row's own id: unique within the branch
    partner: str
    date: str
    title: str
    summary: str
    channel_type: str | None = None  # None: the items have no channel, a channel filter leaves them out
    direction: str | None = None
    user_id: str | None = None
    res_id: str = ""  # default: the id of the model's table
    company_id: str = ""  # default: the company_id of the model's table
    # False: the rows are found through joins (the chatter of a customer's records), not in an index of their
    # own in timeline order; a page then reads them only within the dates the indexed branches' rows span.
    indexed: bool = True
    joins: str = ""
    where: str = "TRUE"

    def __post_init__(self):
        if not 0 < self.slot < ID_SLOTS:
            raise ValueError(f"slot {self.slot} of the {self.kind} branch is not within 1-{ID_SLOTS - 1}")


def key_bound(item_id, slot):
    """The smallest key of `slot` whose item id is not below `item_id`: the branch's rows before an item
    cursor (date, item_id) are those at an earlier date, or at the same date with key < key_bound."""
    return -((slot - item_id) // ID_SLOTS)  # ceil((item_id - slot) / ID_SLOTS)


def check_slots(branches):
    """Raise ValueError when two branches share a slot (their ids would collide)."""
    seen = {}
    for branch in branches:
        if branch.slot in seen:
            raise ValueError(f"the {branch.kind} and {seen[branch.slot]} branches share slot {branch.slot}")
        seen[branch.slot] = branch.kind
