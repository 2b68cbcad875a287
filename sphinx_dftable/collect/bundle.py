"""Run bundles: one host's results, parsed records and host facts in one immutable file.

A bundle is a gzipped tar named ``<host>-<hash16>.dftable.tar.gz`` that holds
``bundle.json`` and the raw result files under ``files/<n>/<name>``. ``bundle.json`` is::

    {"format": "dftable-bundle", "version": 1, "collector": "0.1.0",
     "created": "2025-03-12T09:15:44.123456Z", "content_hash": "<sha256 hex>",
     "content": {"host": ..., "host_facts": {...}, "set": {...}, "run_file": {...} | null,
                 "records": [...], "files": [{"name", "member", "path", "sha256", "size"}]}}

``content_hash`` is the SHA-256 of ``content`` as canonical JSON; ``content`` names each
result file's SHA-256, so the hash covers the files' bytes and every captured value, but not
the capture time or the collector's version. Its first 16 hex digits are in the name:
capturing the same files with the same values on the same host gives the same name, and the
create-only write makes it a no-op.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json
import re
import tarfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sphinx_dftable import __version__
from sphinx_dftable.collect.errors import CollectError, read_bytes
from sphinx_dftable.collect.host import FactQueries, HostFacts
from sphinx_dftable.collect.record import RECORD_FIELDS, Record
from sphinx_dftable.collect.runfile import RunFile
from sphinx_dftable.collect.storage import BUNDLE_SUFFIX

FORMAT = "dftable-bundle"
VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
MANIFEST = "bundle.json"
HASH_DIGITS = 16
NAME_PATTERN = re.compile(
    rf"(?P<host>[A-Za-z0-9._-]+)-(?P<hash>[0-9a-f]{{{HASH_DIGITS}}}){re.escape(BUNDLE_SUFFIX)}"
)
_HOST_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_HOST_LENGTH = 63  # a DNS label


class BadBundle(CollectError):
    """A bundle that cannot be trusted: ingest refuses it by name and writes nothing."""


@dataclass(frozen=True)
class BundleFile:
    name: str  # the result file's name on its host
    member: str  # where it is in the bundle
    path: str  # its absolute path on its host, for provenance
    sha256: str
    size: int


@dataclass(frozen=True)
class CapturedHost(FactQueries):
    """Host facts as read on the capturing host; answers what :class:`HostFacts` answers."""

    instance_type: str | None = None
    os_type: str | None = None
    neuron_packages: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Bundle:
    name: str  # the bundle's file name (no folder)
    host: str
    created: str  # ISO 8601, UTC: sorts in time order
    collector: str
    content_hash: str
    host_facts: CapturedHost
    set_values: dict[str, str]
    run_set_values: dict[str, str]
    run_schema: str | None
    records: list[Record]
    files: list[BundleFile]


def canonical_json(value: object) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def content_hash(content: Mapping[str, object]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def safe_host_name(host: str) -> str:
    """The host as it may appear in a bundle name (and in an S3 key)."""
    cleaned = _HOST_CHARACTERS.sub("-", host).strip("-.")[:_MAX_HOST_LENGTH].strip("-.")
    return cleaned or "host"


def bundle_name(host: str, digest: str) -> str:
    return f"{safe_host_name(host)}-{digest[:HASH_DIGITS]}{BUNDLE_SUFFIX}"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Capture:
    name: str
    content_hash: str
    data: bytes


def make_bundle(
    paths: Sequence[Path],
    records: Sequence[Record],
    *,
    host: str,
    facts: HostFacts | CapturedHost,
    set_values: Mapping[str, str],
    run: RunFile | None,
    created: str | None = None,
) -> Capture:
    """The bundle of result files ``paths`` and the records read from them."""
    ordered = sorted({p.resolve(): p for p in paths}.items(), key=lambda item: str(item[0]))
    files, payloads, member_of = [], [], {}
    for number, (resolved, path) in enumerate(ordered):
        data = read_bytes(path)
        member = f"files/{number}/{path.name}"
        member_of[str(path)] = member_of[str(resolved)] = member
        file_hash = hashlib.sha256(data).hexdigest()
        files.append(BundleFile(path.name, member, str(resolved), file_hash, len(data)))
        payloads.append((member, data))
    record_dicts = []
    for record in records:
        values = record.as_dict()
        # The member, not the host's path: the same files give the same hash from any folder.
        values["source"] = member_of.get(record.source, Path(record.source).name)
        record_dicts.append(values)
    content: dict[str, object] = {
        "host": host,
        "host_facts": facts.as_dict(),
        "set": dict(set_values),
        "run_file": None
        if run is None or run.path is None
        else {"name": run.path.name, "schema": run.schema, "set": dict(run.set_values)},
        "records": record_dicts,
        "files": [dataclasses.asdict(f) for f in files],
    }
    digest = content_hash(content)
    created = created or _now()
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "collector": __version__,
        "created": created,
        "content_hash": digest,
        "content": content,
    }
    data = _tar_gz([(MANIFEST, json.dumps(manifest, indent=1).encode("utf-8")), *payloads], created)
    return Capture(bundle_name(host, digest), digest, data)


def _tar_gz(members: Sequence[tuple[str, bytes]], created: str) -> bytes:
    mtime = datetime.strptime(created, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, int(mtime.timestamp())
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


# --- reading --------------------------------------------------------------------------


def read_bundle(name: str, data: bytes, where: str) -> Bundle:
    """Verify a bundle's bytes and read it; ``where`` (its full location) names it in errors."""

    def bad(reason: str) -> BadBundle:
        return BadBundle(f"{where}: refused bundle: {reason}")

    file_name = name.rsplit("/", 1)[-1]
    match = NAME_PATTERN.fullmatch(file_name)
    if match is None:
        raise bad(f"not a bundle name (expected HOST-HASH{BUNDLE_SUFFIX})")
    members = _members(data, bad)
    if MANIFEST not in members:
        raise bad(f"no {MANIFEST}")
    try:
        manifest = json.loads(members[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"malformed {MANIFEST}: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise bad(f"{MANIFEST} is not a {FORMAT} manifest")
    version = manifest.get("version")
    if version not in SUPPORTED_VERSIONS:
        raise bad(
            f"bundle version {version!r} (made by collector {manifest.get('collector')!r}); "
            f"this collector ({__version__}) reads version(s) "
            f"{', '.join(map(str, sorted(SUPPORTED_VERSIONS)))}: upgrade sphinx-dftable"
        )
    content = manifest.get("content")
    if not isinstance(content, dict):
        raise bad(f"{MANIFEST} has no content")
    try:
        digest = content_hash(content)
    except ValueError as exc:  # a NaN or infinity: never in a bundle this collector wrote
        raise bad(f"malformed {MANIFEST}: {exc}") from exc
    if manifest.get("content_hash") != digest:
        raise bad("its content does not match its content_hash (changed after capture?)")
    if not digest.startswith(match["hash"]):
        raise bad("its name does not match its content hash (renamed, or another's name?)")
    try:
        return _bundle(file_name, manifest, content, members)
    except (KeyError, TypeError, ValueError) as exc:
        raise bad(f"malformed {MANIFEST}: {exc}") from exc


def _members(data: bytes, bad: Callable[[str], BadBundle]) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    try:
        # The whole stream, checked against its CRC: tarfile alone stops at the archive's
        # end marker and would not notice a file cut off after it.
        archive = gzip.decompress(data)
        with tarfile.open(fileobj=io.BytesIO(archive), mode="r:") as tar:
            for info in tar:
                if not info.isfile():
                    raise bad(f"member {info.name!r} is not a regular file")
                if info.name in members:
                    raise bad(f"member {info.name!r} appears twice")
                handle = tar.extractfile(info)
                assert handle is not None  # a regular file always has data
                members[info.name] = handle.read()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise bad(f"not a readable .tar.gz (cut off or corrupted?): {exc}") from exc
    return members


def _strings(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError(f"{what} must map names to strings")
    return dict(value)


def _optional_string(value: object, what: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a string or null")
    return value


def _record(values: object) -> Record:
    if not isinstance(values, dict):
        raise TypeError("a record must be an object")
    unknown = set(values) - RECORD_FIELDS
    if unknown:
        raise ValueError(f"record field(s) this collector does not know: {sorted(unknown)}")
    for key, value in values.items():
        if value is not None and not isinstance(value, str | int | float):
            raise TypeError(f"record field {key!r} must be a string, a number or null")
    return Record(**values)


def _bundle(
    name: str, manifest: dict[str, Any], content: dict[str, Any], members: dict[str, bytes]
) -> Bundle:
    files = []
    for entry in content["files"]:
        if not isinstance(entry, dict):
            raise TypeError("a files entry must be an object")
        item = BundleFile(**entry)
        data = members.get(item.member)
        if data is None:
            raise ValueError(f"result file {item.member!r} is missing")
        if len(data) != item.size or hashlib.sha256(data).hexdigest() != item.sha256:
            raise ValueError(f"result file {item.member!r} does not match its sha256")
        files.append(item)
    extra = set(members) - {MANIFEST} - {f.member for f in files}
    if extra:
        raise ValueError(f"member(s) the manifest does not list: {sorted(extra)}")
    facts = content["host_facts"]
    if not isinstance(facts, dict):
        raise TypeError("host_facts must be an object")
    run_file = content["run_file"]
    if run_file is not None and not isinstance(run_file, dict):
        raise TypeError("run_file must be an object or null")
    host, created = content["host"], manifest["created"]
    if not isinstance(host, str) or not isinstance(created, str):
        raise TypeError("host and created must be strings")
    return Bundle(
        name=name,
        host=host,
        created=created,
        collector=str(manifest.get("collector")),
        content_hash=manifest["content_hash"],
        host_facts=CapturedHost(
            instance_type=_optional_string(facts.get("instance_type"), "instance_type"),
            os_type=_optional_string(facts.get("os_type"), "os_type"),
            neuron_packages=_strings(facts.get("neuron_packages", {}), "neuron_packages"),
        ),
        set_values=_strings(content["set"], "set"),
        run_set_values={} if run_file is None else _strings(run_file["set"], "run_file.set"),
        run_schema=None
        if run_file is None
        else _optional_string(run_file.get("schema"), "run_file.schema"),
        records=[_record(values) for values in content["records"]],
        files=files,
    )
