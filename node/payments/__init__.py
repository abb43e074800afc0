"""Selling vouchers online by card through Stripe: payments, verified webhooks, issue-once, refunds."""
