"""Cross-company claims, receivables/payables, statements, netting, payments and the signed log."""
