from odoo import api, fields, models
from odoo.tools import SQL

from .cc_kpi_contact import upsert_differs

TICKET_COLUMNS = (
    "company_id",
    "channel_type",
    "team_id",
    "user_id",
    "customer_id",
    "opened_at",
    "open",
    "closed_date",
    "first_repeat_at",
)

# Whether ticket t, in stage st, is open work (the backlog): active, in a stage not flagged as closing.
TICKET_IS_OPEN = SQL("(st.closed IS NOT TRUE AND t.active)")


def first_repeat(customer, after):
    """The first inbound contact of the commercial partner `customer` (SQL) strictly after `after` (SQL): the
    first one of each of its contacts (partners), through cc_interaction_partner_received_idx."""
    return SQL(
        """(SELECT min(first.received_at)
              FROM res_partner ip
             CROSS JOIN LATERAL (SELECT i.received_at FROM cc_interaction i
                                  WHERE i.partner_id = ip.id AND i.direction = 'inbound' AND i.received_at > %s
                                  ORDER BY i.received_at LIMIT 1) first
             WHERE ip.commercial_partner_id = %s)""",
        after,
        customer,
    )


class CcKpiTicket(models.Model):
    """One row per ticket: whether it is open (the backlog), and once solved, its customer's first contact after
    the resolution (FCR).

    FCR for any repeat window W follows: a resolution is first-contact when no contact came within
    (closed, closed + W]. The first repeat is found when the ticket is solved and moves earlier when a contact
    of the customer arrives after it; a resolution without one is final once W days have passed. Kept up to
    date by cc.kpi.contact's refresh.
    """

    _name = "cc.kpi.ticket"
    _inherit = ["cc.kpi.dimensions"]
    _description = "Contact Center Ticket Fact"
    _order = "id desc"
    _rec_name = "ticket_id"
    _log_access = False

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True, ondelete="cascade")
    customer_id = fields.Many2one("res.partner", readonly=True, help="The commercial partner.")
    opened_at = fields.Datetime(readonly=True)
    open = fields.Boolean(readonly=True, help="Active, in a stage that is not closed.")
    closed_date = fields.Datetime(readonly=True)
    first_repeat_at = fields.Datetime(readonly=True, help="The customer's first inbound contact after the resolution.")

    _ticket_unique = models.Constraint("UNIQUE(ticket_id)", "One row per ticket.")
    _resolved_idx = models.Index("(closed_date) WHERE closed_date IS NOT NULL AND customer_id IS NOT NULL")
    _open_idx = models.Index("(opened_at) WHERE open")
    _repeat_idx = models.Index("(customer_id, first_repeat_at)")
    _unrepeated_idx = models.Index("(customer_id) WHERE first_repeat_at IS NULL AND closed_date IS NOT NULL")

    @api.model
    def _follow_stages(self, stages):
        """`stages` now close their tickets, or no longer do: their tickets' rows follow at once. The tickets
        themselves are not written, so the incremental refresh would not read them again."""
        self.env["helpdesk.ticket.stage"].flush_model(["closed"])
        self.env["helpdesk.ticket"].flush_model(["stage_id", "active"])
        self.env.cr.execute(
            SQL(
                """UPDATE cc_kpi_ticket k SET open = new.open
                     FROM (SELECT t.id, %s AS open
                             FROM helpdesk_ticket t JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
                            WHERE t.stage_id = ANY(%s)) new
                    WHERE k.ticket_id = new.id AND k.open IS DISTINCT FROM new.open""",
                TICKET_IS_OPEN,
                stages.ids,
            )
        )
        self.invalidate_model(["open"])

    @api.model
    def _refresh(self, changed_tickets, changed_contacts):
        """Bring the rows up to date: the tickets of `changed_tickets` (an SQL condition on helpdesk_ticket t),
        opened, solved, reopened or moved; the first repeats that the contacts of `changed_contacts` (on
        cc_interaction i) were or have become. Without `changed_contacts` (a full refresh), every first repeat is
        looked up again. Run before the contact rows of those contacts are upserted: those rows still say who the
        contacts were from and when."""
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO cc_kpi_ticket (ticket_id, company_id, channel_type, team_id, user_id, customer_id, opened_at,
                                       open, closed_date, first_repeat_at)
            SELECT t.id, t.company_id, ch.channel_type, t.team_id, t.user_id, tp.commercial_partner_id, t.create_date,
                   %(open)s, t.closed_date,
                   CASE WHEN t.closed_date IS NULL OR tp.id IS NULL THEN NULL
                        -- the same resolution as before: the contact steps keep its first repeat
                        WHEN %(incremental)s AND known.closed_date = t.closed_date
                             AND known.customer_id = tp.commercial_partner_id THEN known.first_repeat_at
                        ELSE %(first_repeat)s END
              FROM helpdesk_ticket t
         LEFT JOIN helpdesk_ticket_stage st ON st.id = t.stage_id
         LEFT JOIN res_partner tp ON tp.id = t.partner_id
         -- lateral: one probe of the ticket's row (by its ticket), never a scan of them all
         LEFT JOIN LATERAL (SELECT k.closed_date, k.customer_id, k.first_repeat_at FROM cc_kpi_ticket k
                             WHERE k.ticket_id = t.id) known ON TRUE
         LEFT JOIN cc_channel ch ON ch.id = t.cc_channel_id
             WHERE %(changed)s
             ORDER BY t.closed_date  -- a full refresh stores the month's resolutions, then the open tickets, together
                ON CONFLICT (ticket_id) DO UPDATE SET
                   company_id = EXCLUDED.company_id, channel_type = EXCLUDED.channel_type,
                   team_id = EXCLUDED.team_id, user_id = EXCLUDED.user_id, customer_id = EXCLUDED.customer_id,
                   opened_at = EXCLUDED.opened_at, open = EXCLUDED.open, closed_date = EXCLUDED.closed_date,
                   first_repeat_at = EXCLUDED.first_repeat_at
             WHERE %(differs)s
            """,
                differs=upsert_differs("cc_kpi_ticket", TICKET_COLUMNS),
                open=TICKET_IS_OPEN,
                incremental=changed_contacts is not None,
                first_repeat=first_repeat(SQL("tp.commercial_partner_id"), SQL("t.closed_date")),
                changed=changed_tickets,
            )
        )
        if changed_contacts is not None:
            # A changed contact that was a first repeat may no longer be one (moved, another customer's).
            self._recompute_repeats(
                SQL(
                    """SELECT p.commercial_partner_id, k.date
                         FROM cc_kpi_contact k JOIN cc_interaction i ON i.id = k.interaction_id
                         JOIN res_partner p ON p.id = k.partner_id
                        WHERE %s AND (i.partner_id IS DISTINCT FROM k.partner_id OR i.received_at <> k.date
                                      OR i.direction <> 'inbound')""",
                    changed_contacts,
                )
            )
            # A new contact repeats the customer's resolutions before it, unless an earlier contact already did.
            self.env.cr.execute(
                SQL(
                    """
                WITH contact AS (
                    SELECT ip.commercial_partner_id AS customer_id, i.received_at
                      FROM cc_interaction i JOIN res_partner ip ON ip.id = i.partner_id
                     WHERE i.direction = 'inbound' AND %s
                ), repeated AS (
                    -- resolutions without a repeat yet (_unrepeated_idx), and those whose repeat came later
                    -- (_repeat_idx: none for a contact received now)
                    SELECT r.id, c.received_at
                      FROM contact c JOIN cc_kpi_ticket r ON r.customer_id = c.customer_id
                                                         AND r.first_repeat_at IS NULL AND r.closed_date < c.received_at
                    UNION ALL
                    SELECT r.id, c.received_at
                      FROM contact c JOIN cc_kpi_ticket r ON r.customer_id = c.customer_id
                                                         AND r.first_repeat_at > c.received_at
                                                         AND r.closed_date < c.received_at
                )
                UPDATE cc_kpi_ticket r SET first_repeat_at = n.first_repeat_at
                  FROM (SELECT id, min(received_at) AS first_repeat_at FROM repeated GROUP BY id) n
                 WHERE r.id = n.id AND (r.first_repeat_at IS NULL OR r.first_repeat_at > n.first_repeat_at)
                """,
                    changed_contacts,
                )
            )
        self.invalidate_model()

    @api.model
    def _recompute_repeats(self, contacts):
        """Find again the first repeat of the resolutions whose first repeat was one of `contacts`, an SQL query
        of (commercial partner, received at) rows."""
        self.env.cr.execute(
            SQL(
                """
            UPDATE cc_kpi_ticket r SET first_repeat_at = %s
              FROM (%s) AS previous(customer_id, received_at)
             WHERE r.customer_id = previous.customer_id AND r.first_repeat_at = previous.received_at
            """,
                first_repeat(SQL("r.customer_id"), SQL("r.closed_date")),
                contacts,
            )
        )
