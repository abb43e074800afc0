"""Municipal campaigns (自治体キャンペーン): premium vouchers, coupons, stores and their payouts."""
