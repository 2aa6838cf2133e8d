from lxml import html

from odoo.tests import TransactionCase, freeze_time, tagged

from .common import DATE_FROM, DATE_TO, KpiDataCase, at

CC_KPIS = ("kpi_cc_contacts", "kpi_cc_service_level", "kpi_cc_abandon_rate", "kpi_cc_csat", "kpi_cc_sla_compliance")


@tagged("post_install", "-at_install")
class TestDigest(KpiDataCase, TransactionCase):
    """The contact-center KPIs of the periodic digest email (figures worked out in common.py)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The digest counts its periods from the company calendar's time zone: UTC, like the data set.
        cls.company.resource_calendar_id.tz = "UTC"
        cls.digest = cls.env["digest.digest"].create(
            {
                "name": "Contact Center Weekly",
                "company_id": cls.company.id,
                "periodicity": "weekly",
                "user_ids": [(6, 0, cls.max.ids)],
                **dict.fromkeys(CC_KPIS, True),
            }
        )

    def values(self, digest, date_from=DATE_FROM, date_to=DATE_TO):
        digest.invalidate_recordset()  # the values depend on the context's period, not on fields
        digest = digest.with_context(start_datetime=date_from, end_datetime=date_to)
        return {name: digest[f"{name}_value"] for name in CC_KPIS}

    def test_values_of_the_week(self):
        self.assertEqual(
            self.values(self.digest),
            {
                "kpi_cc_contacts": 5,  # handled: V1 V2 V3 S1 S2
                "kpi_cc_service_level": 37.5,  # against: 3 / 8
                "kpi_cc_abandon_rate": 37.5,  # 3 / 8
                "kpi_cc_csat": 50.0,  # 2 / 4
                "kpi_cc_sla_compliance": 57.1,  # 4 / 7 = 57.14 %
            },
        )

    def test_values_of_one_team(self):
        self.digest.cc_team_id = self.team_a
        self.assertEqual(
            self.values(self.digest),
            {
                "kpi_cc_contacts": 3,
                "kpi_cc_service_level": 40.0,
                "kpi_cc_abandon_rate": 40.0,
                "kpi_cc_csat": 100.0,
                "kpi_cc_sla_compliance": 75.0,
            },
        )

    def test_values_of_another_company(self):
        self.digest.company_id = self.company_2
        self.assertEqual(
            self.values(self.digest),
            {
                "kpi_cc_contacts": 1,  # Z1
                "kpi_cc_service_level": 50.0,  # against: Z1 within Y, Z2 abandoned (30 s, not short)
                "kpi_cc_abandon_rate": 50.0,
                "kpi_cc_csat": 0.0,
                "kpi_cc_sla_compliance": 0.0,  # nothing measured
            },
        )

    def test_values_of_an_empty_period(self):
        self.assertEqual(self.values(self.digest, at(1, month=10), at(8, month=10)), dict.fromkeys(CC_KPIS, 0))

    def test_mail_shows_the_figures(self):
        # Friday 6 November, 06:00 UTC. Last 24 hours: S2 handled within Y, S3 abandoned, T3's CSAT 2.
        # Last 7 days and 30 days: PRE V1 V2 V3 S1 S2 handled (4 within Y), V4 V6 S3 abandoned (V5 short);
        # CSAT T1 5, T2 4, T3 2 in 7 days, and T5's 1 of 20 October in 30 days. S4 (09:00) is later.
        self.digest.kpi_cc_sla_compliance = False
        with freeze_time(at(6, 6)):
            self.digest._action_send_to_user(self.max)
        mail = self.env["mail.mail"].search([("email_to", "ilike", "max@example.com")], order="id desc", limit=1)
        self.assertTrue(mail, "the digest mail is queued")
        body = html.fromstring(mail.body_html)

        def columns(kpi):
            cells = body.xpath(f'//table[@data-field="{kpi}"]//*[hasclass("kpi_value")]/text()')
            return [text.strip() for text in cells]

        self.assertEqual(columns("kpi_cc_contacts"), ["1", "6", "6"])
        self.assertEqual(columns("kpi_cc_service_level"), ["50.00", "44.40", "44.40"])  # 1/2, 4/9, 4/9
        self.assertEqual(columns("kpi_cc_abandon_rate"), ["50.00", "33.30", "33.30"])  # 1/2, 3/9, 3/9
        self.assertEqual(columns("kpi_cc_csat"), ["0.00", "66.70", "50.00"])  # 0/1, 2/3, 2/4
        self.assertEqual(columns("kpi_cc_sla_compliance"), [], "a KPI the digest does not ask for is not shown")

    def test_action_send_mails_every_subscriber(self):
        self.digest.user_ids |= self.sam
        with freeze_time(at(6, 6)):
            self.digest.action_send()
        mails = self.env["mail.mail"].search([("subject", "ilike", "Contact Center Weekly")])
        self.assertEqual(sorted(mails.mapped("email_to")), sorted([self.max.email_formatted, self.sam.email_formatted]))
        sam_mail = mails.filtered(lambda mail: mail.email_to == self.sam.email_formatted)
        body = html.fromstring(sam_mail.body_html)
        # Sam supervises team A only: his digest counts V1 V2 V3 (and PRE) in the last 7 days.
        cells = body.xpath('//table[@data-field="kpi_cc_contacts"]//*[hasclass("kpi_value")]/text()')
        self.assertEqual([text.strip() for text in cells], ["0", "4", "4"])
