"""Hourly instance rates from an AWS Price List offer file or the Price List API.

Only Linux, shared-tenancy, no-preinstalled-software rates are read: the on-demand hourly
rate, and on request the effective hourly rate of a reservation (upfront fee spread over
the term, plus the hourly fee).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError, parse_text_file
from sphinx_dftable.collect.record import normalize_instance_type

ON_DEMAND_COLUMN = "On-Demand hourly rate"
RESERVED_COLUMN = "RI-Effective hourly rate"
PRICE_COLUMNS = ("Inst. Type", ON_DEMAND_COLUMN, RESERVED_COLUMN)
NEURON_INSTANCE_PATTERNS = ("inf1.*", "inf2.*", "trn1.*", "trn1n.*", "trn2.*", "trn2u.*")
# The Price List API cannot match patterns: these are asked for by name.
NEURON_INSTANCE_TYPES = (
    "inf1.xlarge", "inf1.2xlarge", "inf1.6xlarge", "inf1.24xlarge",
    "inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge",
    "trn1.2xlarge", "trn1.32xlarge", "trn1n.32xlarge", "trn2.48xlarge",
)  # fmt: skip
TERM_HOURS = {"1yr": Decimal(365 * 24), "3yr": Decimal(3 * 365 * 24)}
# Attribute filters for the plain Linux rate; attributes absent from older files are skipped.
_LINUX_SHARED = {
    "operatingSystem": "Linux",
    "tenancy": "Shared",
    "preInstalledSw": "NA",
    "capacitystatus": "Used",
    "licenseModel": "No License required",
    "operation": "RunInstances",
    "marketoption": "OnDemand",
}


@dataclass(frozen=True)
class Reservation:
    term: str = "1yr"
    offering_class: str = "standard"
    purchase_option: str = "No Upfront"


@dataclass(frozen=True)
class Rate:
    instance_type: str  # as the docs spell it: Inf2.48xlarge
    on_demand: Decimal | None
    reserved: Decimal | None = None


def hourly_rate_text(value: Decimal | None) -> str:
    """A USD hourly rate as a price table's cell: at most 4 decimals, empty when unknown."""
    if value is None:
        return ""
    text = format(value.quantize(Decimal("0.0001")), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _usd(dimension: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(dimension["pricePerUnit"]["USD"]))
    except (KeyError, TypeError, InvalidOperation):
        return None


def _term_offers(terms: dict[str, Any], kind: str, sku: str) -> list[dict[str, Any]]:
    offers = terms.get(kind, {}).get(sku, {})
    return [o for o in offers.values() if isinstance(o, dict)] if isinstance(offers, dict) else []


def _on_demand(terms: dict[str, Any], sku: str) -> Decimal | None:
    for offer in _term_offers(terms, "OnDemand", sku):
        for dimension in (offer.get("priceDimensions") or {}).values():
            if dimension.get("unit") == "Hrs" and (price := _usd(dimension)) is not None:
                return price
    return None


def _reserved(terms: dict[str, Any], sku: str, want: Reservation) -> Decimal | None:
    for offer in _term_offers(terms, "Reserved", sku):
        attributes = offer.get("termAttributes") or {}
        if (
            attributes.get("LeaseContractLength") != want.term
            or attributes.get("OfferingClass") != want.offering_class
            or attributes.get("PurchaseOption") != want.purchase_option
        ):
            continue
        upfront, hourly = Decimal(0), Decimal(0)
        for dimension in (offer.get("priceDimensions") or {}).values():
            price = _usd(dimension) or Decimal(0)
            if dimension.get("unit") == "Quantity":
                upfront += price
            elif dimension.get("unit") == "Hrs":
                hourly += price
        return upfront / TERM_HOURS[want.term] + hourly
    return None


def _size_order(instance: str) -> tuple[str, int, str]:
    """inf2.xlarge < inf2.8xlarge < inf2.48xlarge: by family, then by the size's multiplier."""
    family, _, size = instance.partition(".")
    digits = size[: len(size) - len(size.lstrip("0123456789"))]
    return (family, int(digits) if digits else 1 if size.endswith("xlarge") else 0, size)


def _region_of(attributes: dict[str, Any]) -> str:
    return str(attributes.get("regionCode") or attributes.get("location") or "")


def rates_from_offer(
    offer: dict[str, Any],
    *,
    patterns: Sequence[str] = NEURON_INSTANCE_PATTERNS,
    region: str | None = None,
    reservation: Reservation | None = None,
    source: str | Path | None = None,
) -> list[Rate]:
    products, terms = offer.get("products"), offer.get("terms")
    if not isinstance(products, dict) or not isinstance(terms, dict):
        raise CollectError("not an AWS Price List offer file (no products and terms)", source)
    chosen: dict[str, tuple[str, str]] = {}  # instance type -> (sku, region)
    for sku, product in products.items():
        attributes = product.get("attributes") if isinstance(product, dict) else None
        if not isinstance(attributes, dict):
            continue
        instance = str(attributes.get("instanceType") or "")
        if not instance or not any(fnmatch.fnmatch(instance, p) for p in patterns):
            continue
        if any(attributes.get(k, v) != v for k, v in _LINUX_SHARED.items()):
            continue
        where = _region_of(attributes)
        if region is not None and region not in {
            attributes.get("regionCode"),
            attributes.get("location"),
        }:
            continue
        if instance in chosen and chosen[instance][1] != where:
            raise CollectError(
                f"the offer file covers several regions ({chosen[instance][1]}, {where}); "
                "pass --region to choose one",
                source,
            )
        chosen[instance] = (str(sku), where)
    rates = []
    for instance, (sku, _) in sorted(chosen.items(), key=lambda item: _size_order(item[0])):
        rates.append(
            Rate(
                instance_type=normalize_instance_type(instance) or instance,
                on_demand=_on_demand(terms, sku),
                reserved=None if reservation is None else _reserved(terms, sku, reservation),
            )
        )
    if not rates:
        raise CollectError(
            f"no Linux shared-tenancy rate for instance types matching {', '.join(patterns)}"
            + (f" in {region}" if region else ""),
            source,
        )
    return rates


def load_offer_file(path: Path) -> dict[str, Any]:
    data = parse_text_file(path, "offer file", json.loads, (json.JSONDecodeError,))
    if not isinstance(data, dict):
        raise CollectError("not an AWS Price List offer file", path)
    return data


def offer_from_api(region: str, instance_types: Iterable[str]) -> dict[str, Any]:
    """Ask the Price List API (boto3, the ``aws`` extra) and shape the answer like a file."""
    try:
        import boto3
    except ImportError as exc:
        raise CollectError(
            "--region needs boto3: pip install 'sphinx-dftable[aws]', or pass an offer file"
        ) from exc
    client = boto3.client("pricing", region_name="us-east-1")
    offer: dict[str, Any] = {"products": {}, "terms": {"OnDemand": {}, "Reserved": {}}}
    paginator = client.get_paginator("get_products")
    for instance in instance_types:
        filters = [
            {"Type": "TERM_MATCH", "Field": "instanceType", "Value": instance},
            {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region},
        ] + [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in _LINUX_SHARED.items()]
        for page in paginator.paginate(ServiceCode="AmazonEC2", Filters=filters):
            for item in page.get("PriceList", []):
                entry = json.loads(item) if isinstance(item, str) else item
                sku = entry["product"]["sku"]
                offer["products"][sku] = entry["product"]
                for kind in ("OnDemand", "Reserved"):
                    if kind in entry.get("terms", {}):
                        offer["terms"][kind][sku] = entry["terms"][kind][sku]
    return offer
