from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.identity import normalize_identity

IDENTITY_KINDS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("whatsapp", "WhatsApp"),
    ("telegram", "Telegram"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("other", "Other"),
]


class CcIdentity(models.Model):
    """One way to reach a customer (a number, an address, an account id), normalised for exact matching."""

    _name = "cc.identity"
    _description = "Customer Identity"
    _order = "partner_id, kind, value"
    _rec_name = "value"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(IDENTITY_KINDS, required=True)
    value = fields.Char(required=True, help="Normalised: phone numbers in E.164, emails lower-cased.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    _value_unique = models.Constraint(
        "UNIQUE(company_id, kind, value)", "This identity already belongs to a customer of this company."
    )

    @api.model
    def normalize(self, kind, value, company=None):
        """The stored form of `value`, or False when it is not a valid identity of that kind."""
        company = company or self.env.company
        return normalize_identity(kind, value, company.country_id.code) or False

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals["value"] = self._normalized_or_raise(vals, self.env["res.company"].browse(vals.get("company_id")))
        return super().create(vals_list)

    def write(self, vals):
        if "value" in vals or "kind" in vals:
            for identity in self:
                merged = {"kind": identity.kind, "value": identity.value, **vals}
                value = self._normalized_or_raise(merged, identity.company_id)
                super(CcIdentity, identity).write({**vals, "value": value})
            return True
        return super().write(vals)

    def _normalized_or_raise(self, vals, company):
        normalized = self.normalize(vals["kind"], vals.get("value") or "", company or self.env.company)
        if not normalized:
            raise ValidationError(
                self.env._(
                    "%(value)s is not a valid %(kind)s.",
                    value=vals.get("value"),
                    kind=dict(IDENTITY_KINDS)[vals["kind"]],
                )
            )
        return normalized

    # Phone numbers reach the same person by voice, SMS and WhatsApp: match across those kinds.
    _KINDS_MATCHED_TOGETHER = {"phone": ("phone", "whatsapp"), "whatsapp": ("whatsapp", "phone")}

    @api.model
    def resolve_partner(self, kind, raw_value, company, display_name=""):
        """The customer behind an address, found through identities, then partners, else created.

        Every lookup is one indexed query: identities by (company, kind, value), then partners by their
        sanitized phone or normalised email (both indexed). The identity is recorded so the next contact is a
        direct hit.
        """
        value = self.normalize(kind, raw_value, company)
        if not value:
            kind, value = "other", (raw_value or "").strip()
        if not value:
            return self.env["res.partner"]
        identities = self.search_fetch(  # at most one row per kind, through the unique index
            [
                ("company_id", "=", company.id),
                ("kind", "in", self._KINDS_MATCHED_TOGETHER.get(kind, (kind,))),
                ("value", "=", value),
            ],
            ["kind", "partner_id"],
        )
        same_kind = identities.filtered(lambda identity: identity.kind == kind)
        if same_kind:
            return same_kind.partner_id
        partner = identities[:1].partner_id or self._find_partner_by_address(kind, value, company)
        if not partner:
            partner = self.env["res.partner"].create(self._new_partner_vals(kind, value, company, display_name))
        self.create({"partner_id": partner.id, "kind": kind, "value": value, "company_id": company.id})
        return partner

    def _find_partner_by_address(self, kind, value, company):
        if kind in ("phone", "whatsapp"):
            field = "phone_sanitized"
        elif kind == "email":
            field = "email_normalized"
        else:
            return self.env["res.partner"]
        return self.env["res.partner"].search(
            [(field, "=", value), ("company_id", "in", (False, company.id))], order="id", limit=1
        )

    def _new_partner_vals(self, kind, value, company, display_name):
        vals = {"name": display_name or value, "company_id": False}
        if kind in ("phone", "whatsapp"):
            vals["phone"] = value
        elif kind == "email":
            vals["email"] = value
        return vals
