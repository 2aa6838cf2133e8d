"""Fixtures for the end-to-end suite: the server that tools/cc.py started, reached over HTTP."""

import os

import pytest
import requests


class OdooClient:
    """JSON-RPC over a logged-in web session, as the web client does."""

    def __init__(self, url, db):
        self.url = url
        self.db = db
        self.session = requests.Session()

    def login(self, login, password):
        response = self.session.post(
            f"{self.url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": self.db, "login": login, "password": password}},
            timeout=30,
        )
        response.raise_for_status()
        if response.json().get("error"):
            raise RuntimeError(response.json()["error"]["data"]["message"])

    def call(self, model, method, args=(), kwargs=None):
        response = self.session.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs or {}},
            },
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            raise RuntimeError(body["error"]["data"]["message"])
        return body["result"]


@pytest.fixture(scope="session")
def odoo():
    url = os.environ.get("CC_ODOO_URL")
    db = os.environ.get("CC_ODOO_DB")
    if not url or not db:
        pytest.fail("CC_ODOO_URL and CC_ODOO_DB are not set: run this suite through `python3 tools/cc.py test`.")
    client = OdooClient(url, db)
    client.login("admin", "admin")
    return client
