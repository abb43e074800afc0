"""Municipal campaigns (自治体キャンペーン): premium vouchers, first-come and lottery coupons, and
who may take part in them (eligibility, 資格確認)."""
