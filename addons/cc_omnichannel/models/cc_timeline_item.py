from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..tools.timeline import COLUMNS, ID_SLOTS, TimelineBranch, check_slots, key_bound
from .cc_channel import CHANNEL_TYPES

TIMELINE_KINDS = [
    ("interaction", "Contact"),
    ("ticket", "Ticket"),
    ("lead", "Lead / Opportunity"),
    ("message", "Message"),
    ("upsell", "Upsell Prompt"),
    ("sla", "SLA"),
    ("survey", "Survey"),
]


# Messages on tickets and leads that agents and customers see (not notes), except those an interaction
# already stands for (an SMS threaded into a ticket, a reply sent through a channel, an email the mail
# gateway logged as a contact: same RFC Message-ID). A subtype's `internal` may be NULL: not internal.
_MESSAGE_JOINS = """
    JOIN mail_message m ON m.model = '{model}' AND m.res_id = {table}.id
    JOIN mail_message_subtype subtype ON subtype.id = m.subtype_id AND subtype.internal IS NOT TRUE
    LEFT JOIN LATERAL (SELECT u.id FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share
                        ORDER BY u.id LIMIT 1) author_user ON TRUE"""
_MESSAGE_WHERE = """{table}.partner_id IS NOT NULL AND m.message_type IN ('comment', 'email')
    AND NOT EXISTS (SELECT 1 FROM cc_interaction i WHERE i.message_id = m.id)
    AND NOT EXISTS (SELECT 1 FROM cc_interaction i WHERE i.{link} = {table}.id AND i.external_id = m.message_id)"""


def _messages(slot, model, table, label, link):
    return TimelineBranch(
        slot=slot,
        model=model,
        kind="message",
        key="m.id",
        partner=f"{table}.partner_id",
        date="m.date",
        direction=f"CASE WHEN m.author_id = {table}.partner_id THEN 'inbound' ELSE 'outbound' END",
        user_id="author_user.id",
        title=f"{table}.{label}",
        summary="left(regexp_replace(m.body, '<[^>]*>', '', 'g'), 200)",
        indexed=False,
        joins=_MESSAGE_JOINS.format(model=model, table=table),
        where=_MESSAGE_WHERE.format(table=table, link=link),
    )


# The timeline when the user may read none of its sources.
_NO_ITEM = (
    "SELECT NULL::int AS id, NULL::int AS partner_id, NULL::timestamp AS date, NULL::varchar AS kind,"
    " NULL::varchar AS channel_type, NULL::varchar AS direction, NULL::int AS user_id, NULL::varchar AS res_model,"
    " NULL::int AS res_id, NULL::varchar AS title, NULL::varchar AS summary, NULL::int AS company_id WHERE FALSE"
)


class CcTimelineItem(models.Model):
    """Everything that happened with a customer, across channels, tickets and deals: a read-only union.

    Extension point: an addon adds a source by overriding `_timeline_branches()` and appending a
    `TimelineBranch` (odoo.addons.cc_omnichannel.tools.timeline) with a free slot (1-15; slots 1-9 are taken
    here, cc_reports uses 11) and an index on (partner, date_trunc('second', date), key) in its source; see
    cc_reports/models/cc_timeline_item.py. The branch's model's record rules decide who sees its items.
    """

    _name = "cc.timeline.item"
    _description = "Customer Timeline Item"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "title"

    partner_id = fields.Many2one("res.partner", readonly=True)
    commercial_partner_id = fields.Many2one(
        "res.partner", string="Customer Company", related="partner_id.commercial_partner_id", readonly=True
    )
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(TIMELINE_KINDS, readonly=True)
    channel_type = fields.Selection(CHANNEL_TYPES, readonly=True)
    direction = fields.Selection([("inbound", "Inbound"), ("outbound", "Outbound")], readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Many2oneReference(model_field="res_model", readonly=True)
    title = fields.Char(readonly=True)
    summary = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        # Dates to the second: the web client's [date, id] cursor comes back as a string without microseconds
        # (create_date has them), so ordering and paging must not see them either.
        # Each branch keeps only the rows whose source record this user may read: searching the view needs
        # no access check of its own.
        selects = [self._branch_select(branch, access) for branch, access in self._readable_branches()]
        return SQL(" UNION ALL ").join(selects) if selects else SQL(_NO_ITEM)

    def _timeline_branches(self):
        """The sources whose union is the timeline; override to add one."""
        return [
            TimelineBranch(
                slot=1,
                model="cc.interaction",
                kind="interaction",
                key="cc_interaction.id",
                partner="cc_interaction.partner_id",
                date="cc_interaction.received_at",
                channel_type="cc_interaction.channel_type",
                direction="cc_interaction.direction",
                user_id="cc_interaction.user_id",
                title="c.name",
                summary="cc_interaction.summary",
                joins="JOIN cc_channel c ON c.id = cc_interaction.channel_id",
                where="cc_interaction.partner_id IS NOT NULL",
            ),
            TimelineBranch(
                slot=2,
                model="helpdesk.ticket",
                kind="ticket",
                key="helpdesk_ticket.id",
                partner="helpdesk_ticket.partner_id",
                date="helpdesk_ticket.create_date",
                channel_type="c.channel_type",
                user_id="helpdesk_ticket.user_id",
                title="concat('Ticket ', helpdesk_ticket.number, ' opened')",
                summary="helpdesk_ticket.name",
                joins="LEFT JOIN cc_channel c ON c.id = helpdesk_ticket.cc_channel_id",
                where="helpdesk_ticket.partner_id IS NOT NULL",
            ),
            TimelineBranch(
                slot=3,
                model="helpdesk.ticket",
                kind="ticket",
                key="helpdesk_ticket.id",
                partner="helpdesk_ticket.partner_id",
                date="helpdesk_ticket.closed_date",
                user_id="helpdesk_ticket.user_id",
                title="concat('Ticket ', helpdesk_ticket.number, ' solved')",
                summary="helpdesk_ticket.name",
                where="helpdesk_ticket.partner_id IS NOT NULL AND helpdesk_ticket.closed_date IS NOT NULL",
            ),
            TimelineBranch(  # a message tracks one stage change at most: the message is the row
                slot=4,
                model="helpdesk.ticket",
                kind="ticket",
                indexed=False,
                key="m.id",
                partner="helpdesk_ticket.partner_id",
                date="m.date",
                user_id="helpdesk_ticket.user_id",
                title="concat('Ticket ', helpdesk_ticket.number, ': ', v.old_value_char, ' → ', v.new_value_char)",
                summary="helpdesk_ticket.name",
                # From each message to its tracked stage (LIMIT: not flattened into a join that would start from
                # every stage change ever tracked).
                joins="""
                    JOIN mail_message m ON m.model = 'helpdesk.ticket' AND m.res_id = helpdesk_ticket.id
                    JOIN LATERAL (SELECT v.old_value_char, v.new_value_char FROM mail_tracking_value v
                                    JOIN ir_model_fields f ON f.id = v.field_id AND f.model = 'helpdesk.ticket'
                                                          AND f.name = 'stage_id'
                                   WHERE v.mail_message_id = m.id LIMIT 1) v ON TRUE""",
                where="helpdesk_ticket.partner_id IS NOT NULL",
            ),
            TimelineBranch(
                slot=5,
                model="crm.lead",
                kind="lead",
                key="crm_lead.id",
                partner="crm_lead.partner_id",
                date="crm_lead.create_date",
                user_id="crm_lead.user_id",
                title="CASE WHEN crm_lead.type = 'opportunity' THEN 'Opportunity created' ELSE 'Lead created' END",
                summary="crm_lead.name",
                where="crm_lead.partner_id IS NOT NULL",
            ),
            TimelineBranch(
                slot=6,
                model="crm.lead",
                kind="lead",
                key="crm_lead.id",
                partner="crm_lead.partner_id",
                date="crm_lead.date_closed",
                user_id="crm_lead.user_id",
                title="CASE WHEN crm_lead.won_status = 'won' THEN 'Won' ELSE 'Lost' END",
                summary="crm_lead.name",
                where="crm_lead.partner_id IS NOT NULL AND crm_lead.won_status IN ('won', 'lost')"
                " AND crm_lead.date_closed IS NOT NULL",
            ),
            _messages(7, "helpdesk.ticket", "helpdesk_ticket", "number", "ticket_id"),
            _messages(8, "crm.lead", "crm_lead", "name", "lead_id"),
            TimelineBranch(
                slot=9,
                model="cc.upsell.flag",
                kind="upsell",
                key="cc_upsell_flag.id",
                partner="cc_upsell_flag.partner_id",
                date="cc_upsell_flag.create_date",
                user_id="cc_upsell_flag.user_id",
                title="r.name",
                summary="r.offer",
                joins="JOIN cc_upsell_rule r ON r.id = cc_upsell_flag.rule_id",
            ),
        ]

    # --- access: a user sees the items whose source record they may read ---------------------------

    def _readable_branches(self):
        """[(branch, (FROM, WHERE) of its model's records this user may read)]: a model the user may not read
        at all adds nothing."""
        # The branches read the sources' tables (their joins too) in SQL: what the ORM still holds must be there.
        self.env.flush_all()
        branches = self._timeline_branches()
        check_slots(branches)
        return [(branch, access) for branch in branches if (access := self._readable_records_sql(branch.model))]

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "model_name",
        "tuple(self.env['ir.rule']._compute_domain_context_values())",
    )
    def _readable_records_sql(self, model_name):
        """(FROM, WHERE) of the records of `model_name` this user may read (archived ones too: lost leads are
        history), the table aliased by its name; None when there are none. Cached as ir.rule caches the rules'
        domains, and cleared with them: compiling the rules to SQL costs more than a page's query."""
        model = self.env[model_name]
        if not model.has_access("read"):
            return None
        query = model._search([], active_test=False)
        if query.is_empty():
            return None
        return query.from_clause, query.where_clause

    def _branch_select(self, branch, access, conditions=(), limit=None):
        """The SELECT of a branch's rows this user may read, within `conditions` (SQL over the branch's
        columns); with `limit`, the first ones in timeline order, read in that order from the source's
        index."""
        date = SQL("date_trunc('second', %s)", SQL(branch.date))
        table = self.env[branch.model]._table
        columns = [
            SQL("%s * %s + %s", SQL(branch.key), ID_SLOTS, branch.slot),
            SQL(branch.partner),
            date,
            SQL("%s::varchar", branch.kind),
            SQL(branch.channel_type or "NULL::varchar"),
            SQL(branch.direction or "NULL::varchar"),
            SQL(branch.user_id or "NULL::int"),
            SQL("%s::varchar", branch.model),
            SQL(branch.res_id or f"{table}.id"),
            SQL(branch.title),
            SQL(branch.summary),
            SQL(branch.company_id or f"{table}.company_id"),
        ]
        from_clause, access_where = access
        where = [SQL(branch.where), *conditions]
        if access_where:
            where.append(access_where)
        return SQL(
            "(SELECT %s FROM %s %s WHERE %s%s)",
            SQL(", ").join(
                SQL("%s AS %s", column, SQL.identifier(name)) for column, name in zip(columns, COLUMNS, strict=True)
            ),
            from_clause,
            SQL(branch.joins),
            SQL(" AND ").join(where),
            SQL(" ORDER BY %s DESC, %s DESC LIMIT %s", date, SQL(branch.key), limit) if limit else SQL(),
        )

    # --- the page the web client shows --------------------------------------------------------------

    @api.model
    def timeline_page(
        self, partner_id, whole_company=False, before=None, limit=40, kinds=(), channel_types=(), search=""
    ):
        """One page of a customer's timeline, newest first, after the `before` = [date, id] cursor.

        Keyset pagination: items arriving meanwhile never shift the next pages. Each branch reads its first
        `limit` rows after the cursor, for each of the customer's contacts (read from its index, newest
        first); the page is the first `limit` of those. The chatter branches, which have no such index, only
        look at the dates the others' first rows span: an older message could not make the page.
        """
        branches = [
            (branch, access)
            for branch, access in self._readable_branches()
            if not (kinds and branch.kind not in kinds) and not (channel_types and not branch.channel_type)
        ]
        if whole_company:
            customers, rows = self._company_contacts(partner_id, [branch for branch, _access in branches], limit)
        else:
            customers, rows = [partner_id], {}
        cursor = (fields.Datetime.to_datetime(before[0]), before[1]) if before else None
        indexed, chatter = [], []
        for branch, access in branches:
            conditions = self._page_conditions(branch, cursor, channel_types, search)
            if not branch.indexed:
                conditions += [
                    SQL("%s = ANY(%s)", SQL(branch.partner), customers),
                    SQL("date_trunc('second', %s) >= (SELECT date FROM bound)", SQL(branch.date)),
                ]
                chatter.append(self._branch_select(branch, access, conditions, limit))
                continue
            # A SELECT per contact with a page of rows here or more: an index scan that stops after `limit` rows.
            # The contacts with fewer rows share one, which sorts them; those with none need none.
            counts = rows.get(branch.slot, dict.fromkeys(customers, limit))
            partners = [SQL("%s = %s", SQL(branch.partner), customer) for customer, n in counts.items() if n >= limit]
            if few := [customer for customer, n in counts.items() if 0 < n < limit]:
                partners.append(SQL("%s = ANY(%s)", SQL(branch.partner), few))
            indexed += [self._branch_select(branch, access, [partner, *conditions], limit) for partner in partners]
        if not (indexed or chatter):
            return {"items": [], "has_more": False}
        if indexed and chatter:
            bound = SQL(
                "indexed AS (%s), bound AS (SELECT CASE WHEN count(*) < %s THEN '-infinity' ELSE min(date) END"
                " AS date FROM indexed)",
                self._first_items(indexed, limit),
                limit,
            )
            indexed = [SQL("(SELECT * FROM indexed)")]
        else:
            bound = SQL("bound AS (SELECT '-infinity'::timestamp AS date)")
        # The agents' partners come along: their names and the customers' are then read in one query.
        rows = self.env.execute_query(
            SQL(
                "WITH %s SELECT page.*, agent.partner_id FROM (%s) AS page"
                " LEFT JOIN res_users agent ON agent.id = page.user_id ORDER BY page.date DESC, page.id DESC",
                bound,
                self._first_items(indexed + chatter, limit),
            )
        )
        records = self.browse(row[0] for row in rows)
        fnames = COLUMNS[1:-1]
        for index, fname in enumerate(fnames, start=1):  # in the cache, as a search_fetch would put them
            self._fields[fname]._insert_cache(records, [row[index] for row in rows])
        agents = self.env["res.users"].browse(row[6] for row in rows if row[6])
        self.env["res.users"]._fields["partner_id"]._insert_cache(agents, [row[-1] for row in rows if row[6]])
        people = records.sudo()  # sudo: the names of the people of items this user may read
        (people.partner_id | people.user_id.partner_id).mapped("display_name")
        return {"items": records._read_format(fnames), "has_more": len(records) == limit}

    def _company_contacts(self, partner_id, branches, limit):
        """The ids of the company of `partner_id` and all its people, archived ones too; and for each indexed
        branch, {contact: how many rows of the branch's table are theirs, counted up to `limit`}: how to read
        each contact's rows (a plan, not a filter: neither the branch's conditions nor access are applied)."""
        sources = list(dict.fromkeys((self.env[b.model]._table, b.partner) for b in branches if b.indexed))
        counts = [
            SQL(
                "(SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s = contact.id LIMIT %s) AS source_rows)",
                SQL.identifier(table),
                SQL(partner),
                limit,
            )
            for table, partner in sources
        ]
        rows = self.env.execute_query(
            SQL(
                "SELECT contact.id%s FROM res_partner contact JOIN res_partner customer"
                " ON customer.commercial_partner_id = contact.commercial_partner_id WHERE customer.id = %s"
                " ORDER BY contact.id",
                SQL("").join(SQL(", %s", count) for count in counts),
                partner_id,
            )
        )
        by_source = {source: {row[0]: row[index] for row in rows} for index, source in enumerate(sources, start=1)}
        return [row[0] for row in rows], {
            branch.slot: by_source[self.env[branch.model]._table, branch.partner]
            for branch in branches
            if branch.indexed
        }

    def _page_conditions(self, branch, cursor, channel_types, search):
        """The conditions of a page on a branch's rows: after the (date, id) cursor, the filters."""
        conditions = []
        if cursor:
            date, last_id = cursor
            conditions.append(
                SQL(
                    "(date_trunc('second', %s), %s) < (%s, %s)",
                    SQL(branch.date),
                    SQL(branch.key),
                    date,
                    key_bound(last_id, branch.slot),
                )
            )
        if channel_types:
            conditions.append(SQL("%s = ANY(%s)", SQL(branch.channel_type), list(channel_types)))
        if search:
            pattern = f"%{search}%"
            conditions.append(
                SQL("(%s ILIKE %s OR %s ILIKE %s)", SQL(branch.title), pattern, SQL(branch.summary), pattern)
            )
        return conditions

    def _first_items(self, selects, limit):
        return SQL(
            "SELECT %s FROM (%s) AS items ORDER BY date DESC, id DESC LIMIT %s",
            SQL(", ").join(SQL.identifier(name) for name in COLUMNS),
            SQL(" UNION ALL ").join(selects),
            limit,
        )

    def action_open_source(self):
        """Open the record this item stands for."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
