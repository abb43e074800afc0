"""Municipal campaigns (自治体キャンペーン): a city or chamber of commerce running premium vouchers,
first-come, lottery, ticket-book and survey coupons from an ordinary Kippu node; eligibility
checks, participating stores and their payouts. Granted coupons are the ledger's vouchers."""
