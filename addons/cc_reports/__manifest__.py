{
    "name": "Contact Center: Reports",
    "summary": "Contact-center KPIs (AHT, ASA, FCR, service level, abandonment, CSAT, NPS, SLA compliance, "
    "backlog), a supervisor dashboard and scheduled digests",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Contact Center for Odoo contributors",
    "website": "https://github.com/contact-center-odoo/contact-center",
    "development_status": "Alpha",
    "depends": ["cc_omnichannel", "cc_sla", "digest", "bus"],
    "data": [
        "security/ir.model.access.csv",
        "security/cc_reports_rules.xml",
        "data/cc_reports_data.xml",
        "views/cc_interaction_report_views.xml",
        "views/cc_reports_views.xml",
        "views/cc_survey_templates.xml",
    ],
    "demo": [
        "demo/cc_reports_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "cc_reports/static/src/**/*",
        ],
        "web.assets_tests": [
            "cc_reports/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
