{
    "name": "Contact Center: Live Chat",
    "summary": "Odoo Live Chat sessions as contact-center interactions: the visitor's first message, the agent's "
    "answer, the end of the chat",
    "version": "19.0.1.0.0",
    "category": "Services/Helpdesk",
    "license": "AGPL-3",
    "author": "Contact Center for Odoo contributors",
    "website": "https://github.com/contact-center-odoo/contact-center",
    "development_status": "Alpha",
    "depends": ["cc_omnichannel", "im_livechat"],
    "data": [
        "views/cc_channel_views.xml",
    ],
    "demo": [
        "demo/cc_livechat_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
