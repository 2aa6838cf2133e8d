from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestContactCenterUi(HttpCase):
    def test_channels_tour(self):
        """An admin opens Contact Center > Configuration > Channels and a channel's webhook URL."""
        self.env["cc.channel"].create({"name": "Support SMS", "channel_type": "sms", "provider": "twilio"})
        self.start_tour("/odoo", "cc_omnichannel_tour", login="admin")
