"""Hourly rates from an AWS Price List offer file: filters, reserved effective rates."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sphinx_dftable.collect.cli import main
from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.prices import Reservation, rates_from_offer


@pytest.fixture
def offer_path(fixtures: Path) -> Path:
    return fixtures / "prices" / "offer-us-east-1-excerpt.json"


@pytest.fixture
def offer(offer_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(offer_path.read_text())
    return data


def _linux_shared_skus(offer: dict[str, Any]) -> dict[str, str]:
    """Instance type -> sku of the plain Linux rate, found independently of the parser."""
    found = {}
    for sku, product in offer["products"].items():
        a = product["attributes"]
        if (a["operatingSystem"], a["tenancy"], a["preInstalledSw"], a["capacitystatus"]) == (
            "Linux", "Shared", "NA", "Used",
        ):  # fmt: skip
            found[a["instanceType"]] = sku
    return found


def _hourly(term: dict[str, Any]) -> Decimal:
    [dimension] = [d for d in term["priceDimensions"].values() if d["unit"] == "Hrs"]
    return Decimal(dimension["pricePerUnit"]["USD"])


def test_on_demand_rates_of_neuron_instances(offer: dict[str, Any]) -> None:
    rates = rates_from_offer(offer)
    skus = _linux_shared_skus(offer)
    neuron = {k: v for k, v in skus.items() if k.startswith(("inf", "trn"))}
    assert [r.instance_type for r in rates] == ["Inf2.xlarge", "Inf2.48xlarge", "Trn1.32xlarge"]
    for rate in rates:
        sku = neuron[rate.instance_type.lower()]
        [term] = offer["terms"]["OnDemand"][sku].values()
        assert rate.on_demand == _hourly(term)
        assert rate.reserved is None


def test_reserved_effective_rate_spreads_the_upfront_fee(offer: dict[str, Any]) -> None:
    want = Reservation("1yr", "standard", "All Upfront")
    [rate] = rates_from_offer(offer, patterns=["inf2.xlarge"], reservation=want)
    sku = _linux_shared_skus(offer)["inf2.xlarge"]
    [term] = [
        t
        for t in offer["terms"]["Reserved"][sku].values()
        if t["termAttributes"]["PurchaseOption"] == "All Upfront"
    ]
    upfront = sum(
        Decimal(d["pricePerUnit"]["USD"])
        for d in term["priceDimensions"].values()
        if d["unit"] == "Quantity"
    )
    assert rate.reserved == upfront / Decimal(8760) + _hourly(term)


def test_several_regions_need_a_choice(offer: dict[str, Any]) -> None:
    for sku, product in list(offer["products"].items()):
        copy = json.loads(json.dumps(product))
        copy["attributes"]["regionCode"] = "us-west-2"
        copy["attributes"]["location"] = "US West (Oregon)"
        offer["products"][sku + "W"] = copy
        for kind in ("OnDemand", "Reserved"):
            if sku in offer["terms"][kind]:
                offer["terms"][kind][sku + "W"] = offer["terms"][kind][sku]
    with pytest.raises(CollectError, match="several regions"):
        rates_from_offer(offer)
    assert len(rates_from_offer(offer, region="us-west-2")) == 3


def test_offer_without_matches_or_shape_is_refused(offer: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CollectError, match="no Linux shared-tenancy rate"):
        rates_from_offer(offer, patterns=["p5.*"])
    with pytest.raises(CollectError, match="not an AWS Price List offer"):
        rates_from_offer({"hello": 1})


def test_prices_command_writes_and_refreshes(offer_path: Path, tmp_path: Path) -> None:
    table = tmp_path / "inf2_instance_prices.csv"
    table.write_text("Inst. Type,On-Demand hourly rate\nInf2.xlarge,0.76\nInf1.xlarge,0.228\n")
    assert main(["prices", str(offer_path), "--table", str(table), "-q"]) == 0
    with table.open(newline="") as handle:
        rows = {r["Inst. Type"]: r["On-Demand hourly rate"] for r in csv.DictReader(handle)}
    assert rows["Inf1.xlarge"] == "0.228"  # not in the offer: untouched
    assert rows["Inf2.xlarge"] == "0.7582"
    assert rows["Inf2.48xlarge"] == "12.9813"
    # The RI column is refused on a table without it, unless asked to add it.
    assert main(["prices", str(offer_path), "--table", str(table), "--reserved", "1yr"]) == 1
    assert (
        main(
            [
                "prices",
                str(offer_path),
                "--table",
                str(table),
                "--reserved",
                "1yr",
                "--add-columns",
                "-q",
            ]
        )
        == 0
    )
    with table.open(newline="") as handle:
        reserved = {r["Inst. Type"]: r["RI-Effective hourly rate"] for r in csv.DictReader(handle)}
    assert reserved["Inf2.xlarge"] == "0.4777" and reserved["Inf1.xlarge"] == ""


def test_prices_needs_a_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prices", "--table", str(tmp_path / "p.csv")]) == 2  # a usage error
    assert "offer file" in capsys.readouterr().err
    assert main(["prices", "--region", "us-east-1", "--instance-type", "inf2.*",
                 "--table", str(tmp_path / "p.csv")]) == 2  # fmt: skip
