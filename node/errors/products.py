"""The refusals of voucher products (商品): a product not on sale, sold out, a customer's limit
reached, a product's terms that make no sense, a product that is not there."""

from __future__ import annotations

from node.errors.base import KippuError
from node.errors.request import NotFound, ValidationError


class ProductError(KippuError):
    """The product cannot be sold or changed that way; nothing was changed."""

    code = "product.refused"
    http_status = 409
    areas = ("product",)
    is_actionable = True


class ProductNotOnSale(ProductError):
    """This product is not on sale now (retired, or outside its sale period); choose another."""

    code = "product.not_on_sale"


class ProductSoldOut(ProductError):
    """This product is sold out (在庫切れ); choose another."""

    code = "product.sold_out"


class ProductLimitReached(ProductError):
    """The customer has bought as much of this product as its limit allows for the period."""

    code = "product.limit_reached"


class ProductOnlineOnly(ProductError):
    """This product has a per-customer limit, so it is sold online only, where the buyer is
    known; a counter cannot sell it. Sell it in the wallet's shop, or choose another."""

    code = "product.online_only"


class ProductRetired(ProductError):
    """The product was retired already; a retired product stays retired."""

    code = "product.retired"


class InvalidProduct(ValidationError):
    """The product's terms are not valid; correct the field named and try again."""

    code = "product.invalid"
    http_status = 422


class ProductNotFound(NotFound):
    """There is no product with that id on this node."""

    code = "product.not_found"
