"""Customers and marketing (CRM, issue 19): profiles and consents, segments, analytics (RFM, LTV,
80:20, KPIs, cohorts) computed from the journal as of a stated date, and campaign mail."""
