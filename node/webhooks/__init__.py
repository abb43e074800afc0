"""Signed webhooks to integrations (POS, EC): endpoints, durable deliveries with retries."""
