from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReportsUi(HttpCase):
    def test_contact_volume_tour(self):
        """A supervisor opens Contact Center > Reporting > Contact Volume and gets the chart."""
        self.start_tour("/odoo", "cc_reports_tour", login="admin")
