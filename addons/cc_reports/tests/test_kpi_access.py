from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import DATE_FROM, DATE_TO, KpiDataCase

NOTHING = {
    "offered": 0,
    "handled": 0,
    "abandoned": 0,
    "aht": None,
    "asa": None,
    "abandon_rate": None,
    "service_level": None,
    "fcr": None,
    "csat": None,
    "nps": None,
    "sla_compliance": None,
    "backlog": 0,
    "upsell_revenue": 0.0,
}


@tagged("post_install", "-at_install")
class TestKpiAccess(KpiDataCase, TransactionCase):
    """Agents see their own figures, supervisors their teams', managers all; nobody another company's."""

    def test_agent_sees_their_own_figures(self):
        rows = self.kpis(user=self.alice)
        self.assertEqual(len(rows), 1)
        self.assertFigures(
            rows[0],
            {
                # V1 V2 only: the abandons of her team were nobody's, V3 is Anton's.
                "offered": 2,
                "handled": 2,
                "abandoned": 0,
                "aht": 250.0,
                "asa": 15.0,
                "abandon_rate": 0.0,
                "service_level": 1.0,
                "fcr": 0.5,
                "csat": 1.0,
                "nps": 0.5,  # her tickets T1 and T2
                "sla_compliance": 0.75,
                "backlog": 1,
                "upsell_revenue": 1250.0,  # T1 T2 timers, T6, F1
            },
        )
        rows = self.kpis(user=self.bob)
        self.assertFigures(
            rows[0], {"offered": 2, "handled": 2, "aht": 420.0, "fcr": 2 / 3, "backlog": 1, "upsell_revenue": 800.0}
        )

    def test_agent_cannot_widen_their_scope(self):
        for domain in ([("user_id", "=", self.bob.id)], [("team_id", "=", self.team_b.id)]):
            with self.subTest(domain=domain):
                rows = self.kpis(domain, user=self.alice)
                self.assertFigures(rows[0], NOTHING)
        rows = self.kpis(groupby=["user_id"], user=self.alice)
        self.assertEqual([row["user_id"] for row in rows], [self.alice.id])

    def test_supervisor_sees_their_teams(self):
        rows = self.kpis(groupby=["team_id"], user=self.sam)
        self.assertEqual([row["team_id"] for row in rows], [self.team_a.id])
        self.assertFigures(
            rows[0],
            {
                "offered": 5,
                "handled": 3,
                "abandoned": 2,
                "aht": 200.0,
                "asa": 70 / 3,
                "abandon_rate": 0.4,
                "service_level": 0.4,
                "fcr": 0.5,
                "csat": 1.0,
                "nps": 0.5,
                "sla_compliance": 0.75,
                "backlog": 1,
                "upsell_revenue": 1250.0,
            },
        )
        by_agent = self.by(self.kpis(groupby=["user_id"], user=self.sam), "user_id")
        self.assertEqual(set(by_agent), {self.alice.id, self.anton.id, False})
        self.assertFigures(self.kpis([("team_id", "=", self.team_b.id)], user=self.sam)[0], NOTHING)

    def test_manager_sees_all_of_their_company(self):
        rows = self.ours(user=self.max)  # both teams (a database with other data keeps them apart)
        self.assertFigures(
            rows[0],
            {
                "offered": 8,
                "handled": 5,
                "abandoned": 3,
                "aht": 288.0,
                "asa": 22.4,
                "service_level": 0.375,
                "fcr": 0.6,
                "csat": 0.5,
                "nps": 0.2,
                "sla_compliance": 4 / 7,
                "backlog": 3,
                "upsell_revenue": 2050.0,
            },
        )
        rows = self.kpis(groupby=["company_id"], user=self.max)
        self.assertEqual([row["company_id"] for row in rows], [self.company.id])
        # Asking for the other company's figures gives nothing.
        self.assertFigures(self.kpis([("company_id", "=", self.company_2.id)], user=self.max)[0], NOTHING)

    def test_other_company_sees_nothing_of_ours(self):
        rows = self.kpis(user=self.zed)
        self.assertEqual(len(rows), 1)
        # Z1 only: Z2 was nobody's; none of the first company's contacts, tickets, surveys, timers or upsells.
        self.assertFigures(
            rows[0],
            {
                **NOTHING,
                "offered": 1,
                "handled": 1,
                "aht": 120.0,
                "asa": 8.0,
                "abandon_rate": 0.0,
                "service_level": 1.0,
            },
        )
        self.assertFigures(self.kpis([("company_id", "=", self.company.id)], user=self.zed)[0], NOTHING)
        with self.assertRaises(AccessError):
            self.env["cc.kpi"].with_user(self.zed).with_context(allowed_company_ids=self.company.ids).compute(
                DATE_FROM, DATE_TO
            )

    def test_user_without_contact_center_role(self):
        employee = new_test_user(self.env, "ccr_employee", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.kpis(user=employee)

    # --- the pivot and graph views read the fact table itself ---------------------------------------

    def facts(self, user):
        teams = (self.team_a | self.team_b | self.team_z).ids
        return (
            self.env["cc.kpi.contact"]
            .with_user(user)
            .search_read(
                [("date", ">=", DATE_FROM), ("date", "<", DATE_TO), ("team_id", "in", teams)], ["interaction_id"]
            )
        )

    def interactions(self, facts):
        return self.env["cc.interaction"].browse(fact["interaction_id"][0] for fact in facts)

    def test_fact_table_respects_the_same_scopes(self):
        self.env["cc.kpi.contact"].refresh()
        team_a = self.v1 | self.v2 | self.v3 | self.v4 | self.v5 | self.v6 | self.v7
        team_b = self.s1 | self.s2 | self.s3 | self.s4
        self.assertEqual(self.interactions(self.facts(self.alice)), self.v1 | self.v2)
        self.assertEqual(self.interactions(self.facts(self.bob)), self.s1 | self.s2)
        self.assertEqual(self.interactions(self.facts(self.sam)), team_a)
        self.assertEqual(self.interactions(self.facts(self.max)), team_a | team_b)
        self.assertEqual(self.interactions(self.facts(self.zed)), self.z1)

    def test_fact_table_grouped_as_the_pivot_does(self):
        self.env["cc.kpi.contact"].refresh()
        teams = (self.team_a | self.team_b | self.team_z).ids
        domain = [("date", ">=", DATE_FROM), ("date", "<", DATE_TO), ("team_id", "in", teams)]
        Facts = self.env["cc.kpi.contact"]
        self.assertEqual(
            Facts.with_user(self.sam)._read_group(domain, ["team_id"], ["handled:sum", "abandoned:sum"]),
            [(self.team_a, 3, 2)],
        )
        self.assertEqual(
            dict(Facts.with_user(self.max)._read_group(domain, ["company_id"], ["handled:sum"])),
            {self.company: 5},
        )
        self.assertEqual(
            dict(Facts.with_user(self.zed)._read_group(domain, ["company_id"], ["handled:sum"])),
            {self.company_2: 1},
        )

    def test_agents_cannot_change_the_facts(self):
        self.env["cc.kpi.contact"].refresh()
        fact = self.env["cc.kpi.contact"].search([("interaction_id", "=", self.v1.id)])
        with self.assertRaises(AccessError):
            fact.with_user(self.alice).write({"handled": 0})
