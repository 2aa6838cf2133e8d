from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSlaUi(HttpCase):
    def test_policies_tour(self):
        """An admin opens Contact Center > Configuration > SLA Policies and finds a policy."""
        self.env["cc.sla.policy"].create({"name": "Standard support"})
        self.start_tour("/odoo", "cc_sla_tour", login="admin")
