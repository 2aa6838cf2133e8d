{
    "name": "Contact Center: Omnichannel",
    "summary": "Every channel (voice, SMS, WhatsApp, email, chat, social DMs, web forms) into one interaction "
    "model, with identity resolution, routing and replies",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Contact Center for Odoo contributors",
    "website": "https://github.com/contact-center-odoo/contact-center",
    "development_status": "Alpha",
    "depends": ["crm", "helpdesk_mgmt", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers", "requests"]},
    "data": [
        "security/cc_security.xml",
        "security/ir.model.access.csv",
        "security/cc_rules.xml",
        "data/cc_channel_type_data.xml",
        "views/cc_menus.xml",
        "views/cc_interaction_views.xml",
        "views/cc_channel_views.xml",
        "views/cc_webhook_event_views.xml",
        "views/cc_identity_views.xml",
        "views/cc_agent_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/cc_upsell_views.xml",
        "views/cc_timeline_views.xml",
        "wizards/cc_upsell_dismiss_wizard_views.xml",
    ],
    "demo": [
        "demo/cc_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "cc_omnichannel/static/src/timeline/**/*",
        ],
        "web.assets_tests": [
            "cc_omnichannel/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
