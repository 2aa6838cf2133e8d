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
        "views/cc_sla_policy_views.xml",
    ],
    "demo": [
        "demo/cc_sla_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "cc_sla/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
