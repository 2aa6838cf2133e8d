"""End-to-end: a live Odoo server with the contact center installed, over real HTTP."""

import pytest


@pytest.mark.parametrize("module", ["cc_omnichannel", "cc_sla", "cc_reports"])
def test_addon_installed(odoo, module):
    state = odoo.call("ir.module.module", "search_read", [[("name", "=", module)]], {"fields": ["state"]})
    assert state == [{"id": state[0]["id"], "state": "installed"}]


def test_login_page_served(odoo):
    response = odoo.session.get(f"{odoo.url}/web/login", timeout=30)
    assert response.status_code == 200
    assert 'name="login"' in response.text


def test_contact_center_menu_for_admin(odoo):
    menus = odoo.call(
        "ir.ui.menu",
        "search_read",
        [[("name", "=", "Contact Center"), ("parent_id", "=", False)]],
        {"fields": ["name"]},
    )
    assert [menu["name"] for menu in menus] == ["Contact Center"]


def test_demo_live_chats_took_time(odoo):
    """The demo's website chats have the waits and lengths of real ones, so live chat's ASA and AHT are not 0."""
    chats = odoo.call(
        "cc.interaction",
        "search_read",
        [[("channel_id.provider", "=", "odoo_livechat"), ("direction", "=", "inbound")]],
        {"fields": ["state", "wait_seconds", "talk_seconds"], "order": "received_at"},
    )
    assert [(chat["state"], chat["wait_seconds"], chat["talk_seconds"]) for chat in chats] == [
        ("done", 35, 420),
        ("missed", 150, 0),
        ("in_progress", 50, 0),
    ]
