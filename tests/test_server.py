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
