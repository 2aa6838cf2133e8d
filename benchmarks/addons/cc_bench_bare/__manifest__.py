{
    "name": "Contact Center benchmark: bare read/write route",
    "summary": "For benchmarks/bench_ingestion.py only: a POST route that writes nothing and answers at once",
    "version": "19.0.1.0.0",
    "category": "Hidden",
    "license": "AGPL-3",
    "author": "Contact Center for Odoo contributors",
    "website": "https://github.com/contact-center-odoo/contact-center",
    "depends": ["web"],
    "installable": True,
}
