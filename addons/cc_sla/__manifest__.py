{
    "name": "Contact Center: SLA",
    "summary": "SLA policies and timers on helpdesk tickets in business hours: pauses, at-risk, breach, "
    "escalation ladders",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Contact Center for Odoo contributors",
    "website": "https://github.com/contact-center-odoo/contact-center",
    "development_status": "Alpha",
    "depends": ["cc_omnichannel", "resource"],
    "data": [
        "security/ir.model.access.csv",
        "security/cc_sla_rules.xml",
        "data/ir_cron_data.xml",
        "views/cc_sla_policy_views.xml",
        "views/cc_sla_timer_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "demo": [
        "demo/cc_sla_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "cc_sla/static/src/**/*",
        ],
        "web.assets_tests": [
            "cc_sla/static/tests/tours/**/*",
        ],
    },
    "pre_init_hook": "pre_init_hook",
    "installable": True,
}
