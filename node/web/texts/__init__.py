"""Page text tables, one module per area of the site; node.web.i18n merges them."""
