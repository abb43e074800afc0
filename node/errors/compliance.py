"""Refusals the Payment Services Act (資金決済法) makes: what the issuer may not do unregistered."""

from __future__ import annotations

from node.errors.base import KippuError


class RegistrationRequired(KippuError):
    """Accepting our vouchers at a partner makes them 第三者型前払式支払手段, which may only be
    issued after registration (資金決済法7条). Register as a 第三者型発行者 with the 財務局 and set
    `[issuer] registration_number` in config.toml, or, if the partner is a 密接関係者 (parent,
    subsidiary or sister company), declare its node id in `[issuer] related_partners`; then
    restart the node and try again. Nothing was changed."""

    code = "compliance.registration_required"
    http_status = 409
    areas = ("compliance",)
    is_actionable = True
