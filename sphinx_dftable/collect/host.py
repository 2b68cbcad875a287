"""What the benchmark host can tell about itself: instance type, OS, Neuron packages.

Every fact is optional: off EC2 the metadata service is absent (short timeout, no error),
and a container may have no ``/etc/os-release``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Mapping
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Protocol

# The variable names botocore uses, so one setting serves both.
IMDS_ENDPOINT_ENV = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
IMDS_DISABLED_ENV = "AWS_EC2_METADATA_DISABLED"
DEFAULT_IMDS_ENDPOINT = "http://169.254.169.254"
OS_RELEASE = Path("/etc/os-release")


def imds_instance_type(endpoint: str | None = None, timeout: float = 1.0) -> str | None:
    """The EC2 instance type via IMDSv2 (token, then metadata), or None when unavailable."""
    if os.environ.get(IMDS_DISABLED_ENV, "").strip().lower() == "true":
        return None
    base = (endpoint or os.environ.get(IMDS_ENDPOINT_ENV) or DEFAULT_IMDS_ENDPOINT).rstrip("/")
    # Never through an HTTP proxy: the link-local address is only meaningful on this host.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    token_request = urllib.request.Request(
        f"{base}/latest/api/token",
        method="PUT",
        headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"},
    )
    try:
        with opener.open(token_request, timeout=timeout) as response:
            token = response.read().decode("ascii", "replace").strip()
        type_request = urllib.request.Request(
            f"{base}/latest/meta-data/instance-type",
            headers={"X-aws-ec2-metadata-token": token},
        )
        with opener.open(type_request, timeout=timeout) as response:
            value = response.read().decode("ascii", "replace").strip()
    except urllib.error.HTTPError as exc:
        exc.close()
        return None
    except (OSError, ValueError):
        return None
    return value or None


def _os_release_fields(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.lstrip().startswith("#"):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def os_type(path: Path = OS_RELEASE) -> str | None:
    """The docs' short OS name: ``U22`` (Ubuntu 22.04), ``AL2023``, ``AL2``, ``RHEL9``..."""
    fields = _os_release_fields(path)
    distro, version = fields.get("ID", "").lower(), fields.get("VERSION_ID", "")
    if not distro:
        return None
    major = version.split(".")[0]
    if distro == "ubuntu":
        return f"U{major}" if major else "Ubuntu"
    if distro == "amzn":
        return f"AL{version}" if version else "AL"
    if distro == "rhel":
        return f"RHEL{major}"
    return f"{fields.get('NAME', distro).split()[0]}{major}"


def neuron_packages() -> dict[str, str]:
    """Installed Neuron packages and versions: Python distributions, then system packages."""
    found: dict[str, str] = {}
    for dist in metadata.distributions():
        name = _distribution_name(dist).lower()
        if "neuron" in name:
            found[name] = dist.version
    found.update(_system_packages())
    return dict(sorted(found.items()))


_NAME_FIELD = re.compile(r"^Name:[ \t]*(\S+)", re.MULTILINE)


def _distribution_name(dist: metadata.Distribution) -> str:
    # The Name field alone: parsing every distribution's whole METADATA (dist.metadata, an
    # e-mail parser) costs tens of milliseconds, on each capture of a fleet host.
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    match = _NAME_FIELD.search(text)
    return match.group(1) if match else ""


def _system_packages() -> dict[str, str]:
    if shutil.which("dpkg-query"):
        command = ["dpkg-query", "-W", "-f", "${Package} ${Version}\\n", "aws-neuronx-*"]
    elif shutil.which("rpm"):
        command = ["rpm", "-qa", "--qf", "%{NAME} %{VERSION}-%{RELEASE}\\n", "aws-neuronx-*"]
    else:
        return {}
    try:
        output = subprocess.run(
            command, capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    packages = {}
    for line in output.splitlines():
        name, _, version = line.strip().partition(" ")
        if name and version:
            packages[name] = version
    return packages


class _Facts(Protocol):
    @property
    def instance_type(self) -> str | None: ...
    @property
    def os_type(self) -> str | None: ...
    @property
    def neuron_packages(self) -> Mapping[str, str]: ...


class FactQueries:
    """What host facts answer, whether looked up on this host (:class:`HostFacts`) or carried
    by the bundle of the host that captured them (``bundle.CapturedHost``)."""

    def value(self: _Facts, fact: str) -> str | None:
        """A fact a table layout names (``instance_type``, ``os_type``)."""
        if fact == "instance_type":
            return self.instance_type
        if fact == "os_type":
            return self.os_type
        raise KeyError(fact)

    def as_dict(self: _Facts) -> dict[str, object]:
        return {
            "instance_type": self.instance_type,
            "os_type": self.os_type,
            "neuron_packages": dict(self.neuron_packages),
        }


class HostFacts(FactQueries):
    """Looked up once, on first use, so a run that never needs the host never asks it."""

    def __init__(self, enabled: bool = True, os_release: Path = OS_RELEASE) -> None:
        self.enabled = enabled
        self._os_release = os_release

    @cached_property
    def instance_type(self) -> str | None:
        return imds_instance_type() if self.enabled else None

    @cached_property
    def os_type(self) -> str | None:
        return os_type(self._os_release) if self.enabled else None

    @cached_property
    def neuron_packages(self) -> dict[str, str]:
        return neuron_packages() if self.enabled else {}
