"""Host facts: instance metadata absent or present (loopback only), OS names, packages."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from sphinx_dftable.collect.host import HostFacts, imds_instance_type, neuron_packages, os_type


def test_instance_type_from_imdsv2(imds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    assert imds_instance_type() == imds.instance_type
    assert HostFacts().instance_type == imds.instance_type


def test_imds_absent_is_quick_and_none(
    refused_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", refused_endpoint)
    started = time.monotonic()
    assert imds_instance_type(timeout=1.0) is None
    assert time.monotonic() - started < 1.0


def test_imds_rejecting_the_token_is_none(imds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_EC2_METADATA_DISABLED")
    # A path prefix the fake does not serve: the token PUT answers 400.
    assert imds_instance_type(endpoint=imds.url + "/elsewhere") is None


def test_imds_disabled_by_environment(imds: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    assert imds_instance_type() is None  # AWS_EC2_METADATA_DISABLED=true from conftest
    assert HostFacts(enabled=False).value("instance_type") is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n', "U22"),
        ('NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\n', "U24"),
        ('NAME="Amazon Linux"\nVERSION_ID="2023"\nID="amzn"\n', "AL2023"),
        ('NAME="Amazon Linux"\nVERSION="2"\nID="amzn"\nVERSION_ID="2"\n', "AL2"),
        ('NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.4"\n', "RHEL9"),
        ('# comment\nNAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n', "Debian12"),
        ("", None),
    ],
)
def test_os_type(tmp_path: Path, content: str, expected: str | None) -> None:
    path = tmp_path / "os-release"
    path.write_text(content)
    assert os_type(path) == expected
    assert HostFacts(os_release=path).value("os_type") == expected


def test_os_release_missing(tmp_path: Path) -> None:
    assert os_type(tmp_path / "missing") is None


def test_neuron_packages_from_python_and_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    info = site / "neuronx_cc-2.14.227.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: neuronx-cc\nVersion: 2.14.227.0\n")
    monkeypatch.syspath_prepend(str(site))
    # A stand-in dpkg-query answering like Ubuntu's does for the Neuron runtime.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dpkg-query"
    fake.write_text("#!/bin/sh\necho 'aws-neuronx-runtime-lib 2.21.41.0-fb1705f5f'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    packages = neuron_packages()
    assert packages["neuronx-cc"] == "2.14.227.0"
    assert packages["aws-neuronx-runtime-lib"] == "2.21.41.0-fb1705f5f"
    assert "numpy" not in packages
    assert HostFacts(enabled=False).neuron_packages == {}
