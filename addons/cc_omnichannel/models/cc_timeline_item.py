from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

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

# Each branch's rows get id = source id * ID_SLOTS + its slot, so ids are unique and stable across branches.
ID_SLOTS = 16

# Messages on tickets and leads that agents and customers see (not notes), except those an interaction
# already stands for (an SMS threaded into a ticket, a reply sent through a channel, an email the mail
# gateway logged as a contact: same RFC Message-ID). A subtype's `internal` may be NULL: not internal.
_MESSAGES = """
    SELECT m.id * 16 + {slot} AS id, doc.partner_id, m.date, 'message' AS kind, NULL AS channel_type,
           CASE WHEN m.author_id = doc.partner_id THEN 'inbound' ELSE 'outbound' END AS direction,
           author_user.id AS user_id, '{model}' AS res_model, doc.id AS res_id, doc.{label} AS title,
           left(regexp_replace(m.body, '<[^>]*>', '', 'g'), 200) AS summary, doc.company_id
      FROM mail_message m
      JOIN {table} doc ON m.model = '{model}' AND m.res_id = doc.id
      JOIN mail_message_subtype subtype ON subtype.id = m.subtype_id AND subtype.internal IS NOT TRUE
 LEFT JOIN LATERAL (SELECT u.id FROM res_users u WHERE u.partner_id = m.author_id AND NOT u.share
                     ORDER BY u.id LIMIT 1) author_user ON TRUE
     WHERE m.message_type IN ('comment', 'email')
       AND NOT EXISTS (SELECT 1 FROM cc_interaction i WHERE i.message_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM cc_interaction i WHERE i.{link} = doc.id AND i.external_id = m.message_id)
"""


class CcTimelineItem(models.Model):
    """Everything that happened with a customer, across channels, tickets and deals: a read-only union.

    Extension point: an addon adds a source by overriding `_timeline_branches()` and appending a SELECT
    with the same columns, in the same order (id, partner_id, date, kind, channel_type, direction, user_id,
    res_model, res_id, title, summary, company_id), with `id = source id * 16 + a free slot` (1-15; slots
    1-9 are taken here, cc_sla and cc_reports use 10 and 11) and an index on (partner, date) in the source.
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
        return SQL(
            "(SELECT id, partner_id, date_trunc('second', date) AS date, kind, channel_type, direction, user_id, "
            "res_model, res_id, title, summary, company_id FROM (%s) AS branches)",
            SQL(" UNION ALL ".join(f"({branch})" for branch in self._timeline_branches())),
        )

    def _timeline_branches(self):
        """The SELECT statements whose union is the timeline; override to add a source."""
        return [
            """SELECT i.id * 16 + 1 AS id, i.partner_id, i.received_at AS date, 'interaction' AS kind,
                      i.channel_type, i.direction, i.user_id, 'cc.interaction' AS res_model, i.id AS res_id,
                      c.name AS title, i.summary, i.company_id
                 FROM cc_interaction i JOIN cc_channel c ON c.id = i.channel_id
                WHERE i.partner_id IS NOT NULL""",
            """SELECT t.id * 16 + 2, t.partner_id, t.create_date, 'ticket', c.channel_type, NULL, t.user_id,
                      'helpdesk.ticket', t.id, concat('Ticket ', t.number, ' opened'), t.name, t.company_id
                 FROM helpdesk_ticket t LEFT JOIN cc_channel c ON c.id = t.cc_channel_id
                WHERE t.partner_id IS NOT NULL""",
            """SELECT t.id * 16 + 3, t.partner_id, t.closed_date, 'ticket', NULL, NULL, t.user_id,
                      'helpdesk.ticket', t.id, concat('Ticket ', t.number, ' solved'), t.name, t.company_id
                 FROM helpdesk_ticket t
                WHERE t.partner_id IS NOT NULL AND t.closed_date IS NOT NULL""",
            """SELECT v.id * 16 + 4, t.partner_id, m.date, 'ticket', NULL, NULL, t.user_id, 'helpdesk.ticket',
                      t.id, concat('Ticket ', t.number, ': ', v.old_value_char, ' → ', v.new_value_char), t.name,
                      t.company_id
                 FROM mail_tracking_value v
                 JOIN ir_model_fields f ON f.id = v.field_id AND f.model = 'helpdesk.ticket' AND f.name = 'stage_id'
                 JOIN mail_message m ON m.id = v.mail_message_id
                 JOIN helpdesk_ticket t ON m.model = 'helpdesk.ticket' AND m.res_id = t.id
                WHERE t.partner_id IS NOT NULL""",
            """SELECT l.id * 16 + 5, l.partner_id, l.create_date, 'lead', NULL, NULL, l.user_id, 'crm.lead', l.id,
                      CASE WHEN l.type = 'opportunity' THEN 'Opportunity created' ELSE 'Lead created' END,
                      l.name, l.company_id
                 FROM crm_lead l WHERE l.partner_id IS NOT NULL""",
            """SELECT l.id * 16 + 6, l.partner_id, l.date_closed, 'lead', NULL, NULL, l.user_id, 'crm.lead', l.id,
                      CASE WHEN l.won_status = 'won' THEN 'Won' ELSE 'Lost' END, l.name, l.company_id
                 FROM crm_lead l
                WHERE l.partner_id IS NOT NULL AND l.won_status IN ('won', 'lost') AND l.date_closed IS NOT NULL""",
            _MESSAGES.format(
                slot=7, model="helpdesk.ticket", table="helpdesk_ticket", label="number", link="ticket_id"
            ),
            _MESSAGES.format(slot=8, model="crm.lead", table="crm_lead", label="name", link="lead_id"),
            """SELECT f.id * 16 + 9, f.partner_id, f.create_date, 'upsell', NULL, NULL, f.user_id,
                      'cc.upsell.flag', f.id, r.name, r.offer, f.company_id
                 FROM cc_upsell_flag f JOIN cc_upsell_rule r ON r.id = f.rule_id""",
        ]

    # --- access: a user sees the items whose source record they may read ---------------------------

    @api.model
    def _search(self, domain, *args, **kwargs):
        return super()._search(Domain.AND([domain, self._readable_sources_domain()]), *args, **kwargs)

    def _readable_sources_domain(self):
        if self.env.su:
            return Domain.TRUE
        # a model the user may not read at all adds nothing; archived records (lost leads) are history too
        # A page is for one customer (or their company): checking only their records keeps the subqueries small.
        customers = self.env.context.get("cc_timeline_customers") or Domain.TRUE
        return Domain.OR(
            [
                Domain("res_model", "=", model)
                & Domain("res_id", "in", self.env[model].with_context(active_test=False)._search(customers))
                for model in self._source_models()
                if self.env[model].has_access("read")
            ]
        )

    def _source_models(self):
        """The models whose records the branches show; an addon adding a branch adds its model here."""
        return ["cc.interaction", "helpdesk.ticket", "crm.lead", "cc.upsell.flag"]

    # --- the page the web client shows --------------------------------------------------------------

    @api.model
    def timeline_page(
        self, partner_id, whole_company=False, before=None, limit=40, kinds=(), channel_types=(), search=""
    ):
        """One page of a customer's timeline, newest first, after the `before` = [date, id] cursor.

        Keyset pagination: items arriving meanwhile never shift the next pages.
        """
        if whole_company:  # the contact's company and all its people, archived ones too, within the same query
            customers = Domain(
                "partner_id",
                "any!",
                SQL(
                    "SELECT p.id FROM res_partner p JOIN res_partner contact"
                    " ON contact.commercial_partner_id = p.commercial_partner_id WHERE contact.id = %s",
                    partner_id,
                ),
            )
        else:
            customers = Domain("partner_id", "=", partner_id)
        domain = [customers]
        if before:
            date, last_id = fields.Datetime.to_datetime(before[0]), before[1]
            domain += ["|", ("date", "<", date), "&", ("date", "=", date), ("id", "<", last_id)]
        if kinds:
            domain.append(("kind", "in", list(kinds)))
        if channel_types:
            domain.append(("channel_type", "in", list(channel_types)))
        if search:
            domain += ["|", ("title", "ilike", search), ("summary", "ilike", search)]
        fnames = [
            "date",
            "kind",
            "channel_type",
            "direction",
            "user_id",
            "res_model",
            "res_id",
            "title",
            "summary",
            "partner_id",
        ]
        records = self.with_context(cc_timeline_customers=customers).search_fetch(
            domain, fnames, order="date desc, id desc", limit=limit
        )
        # The names shown, in two queries rather than three: the agents, then customers and agents together.
        people = records.sudo()
        (people.partner_id | people.user_id.partner_id).mapped("display_name")
        return {"items": records._read_format(fnames), "has_more": len(records) == limit}

    def action_open_source(self):
        """Open the record this item stands for."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
