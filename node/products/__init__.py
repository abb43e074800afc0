"""Voucher products (商品): what head office sells, at what price and on what terms, and each sale of one."""
