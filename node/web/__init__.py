"""Server-rendered pages for staff (counter), customers (wallet) and head office (admin console)."""
