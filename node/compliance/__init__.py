"""The Payment Services Act (資金決済法) duties of an issuer: display, class, 基準日 report, refunds."""
