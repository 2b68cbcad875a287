"""Where fleet bundles live: a local (or shared) folder, or an S3 prefix.

Both back ends make a bundle visible whole or not at all, and create it only if no object
of that name exists yet, so hosts writing at once never overwrite one another:

* a folder: the bundle is written to a hidden temporary file beside its final name,
  flushed to disk, then hard-linked to that name (``link`` fails when the name exists) and
  the temporary name removed. A writer killed on the way leaves at most a hidden ``.tmp``
  file, which listing never returns;
* S3: a one-part multipart upload, completed with ``If-None-Match: *``. The object appears
  only when the upload is completed, after its whole body has arrived, and the condition
  turns a second writer into a 412. A writer killed on the way leaves an incomplete
  upload, which listing never returns (a bucket lifecycle rule removes it).

Object storage needs boto3 (the ``aws`` extra), imported only when an ``s3://`` location
is used. The endpoint, credentials and region come from boto3's usual settings
(``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL`` for an S3-compatible server).
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol

from sphinx_dftable.atomic_write import sync_directory
from sphinx_dftable.collect.errors import CollectError

#: Every bundle's name ends so; listing returns only such names.
BUNDLE_SUFFIX = ".dftable.tar.gz"
S3_SCHEME = "s3://"
INSTALL_HINT = "pip install 'sphinx-dftable[aws]'"
# A conditional PUT racing another on the same key may get 409 ConditionalRequestConflict;
# S3 asks the client to retry, and the retry then sees the winner's object (412).
_CONFLICT_RETRIES = 5
_PART_CHECKSUMS = frozenset(
    {"ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256"}
)


class Storage(Protocol):
    """A place that holds bundles under names relative to its root (``a/b.dftable.tar.gz``)."""

    url: str  # the location as the user gave it, ending with "/"

    def list_names(self) -> list[str]:
        """Every bundle under the root, sorted; never one still being written."""

    def read(self, name: str) -> bytes:
        """The bytes of one bundle."""

    def create(self, name: str, data: bytes) -> bool:
        """Store ``data`` as ``name`` unless that name exists; False when it did."""


def is_remote(location: str) -> bool:
    return location.startswith(S3_SCHEME)


def open_storage(location: str) -> Storage:
    """The back end for ``s3://bucket/prefix/`` or a folder path."""
    if is_remote(location):
        return S3Storage(location)
    return FolderStorage(Path(location))


def _is_bundle_name(name: str) -> bool:
    return name.endswith(BUNDLE_SUFFIX) and not name.rsplit("/", 1)[-1].startswith(".")


class FolderStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = f"{str(root).rstrip('/')}/"

    def list_names(self) -> list[str]:
        if not self.root.is_dir():
            raise CollectError("no such bundle folder", self.root)
        names: list[str] = []
        for folder, subfolders, files in os.walk(self.root, onerror=self._refuse):
            subfolders[:] = [d for d in subfolders if not d.startswith(".")]
            relative = Path(folder).relative_to(self.root)
            names.extend((relative / f).as_posix() for f in files if _is_bundle_name(f))
        return sorted(names)

    def _refuse(self, exc: OSError) -> None:
        raise CollectError(f"cannot list the bundle folder: {exc.strerror or exc}", exc.filename)

    def read(self, name: str) -> bytes:
        path = self.root / name
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CollectError(f"cannot read bundle: {exc.strerror or exc}", path) from exc

    def create(self, name: str, data: bytes) -> bool:
        target = self.root / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise CollectError(
                f"cannot write to the bundle folder: {exc.strerror or exc}", target.parent
            ) from exc
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # mkstemp's 0600 would hide the bundle from the other users of a shared folder.
            Path(temporary).chmod(0o666 & ~_umask())
            try:
                os.link(temporary, target)
            except FileExistsError:
                return False
            except OSError as exc:
                if exc.errno in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}:
                    raise CollectError(
                        "this folder's file system cannot make hard links, which a "
                        "create-only write needs: capture to another folder or to S3",
                        target.parent,
                    ) from exc
                raise
        except OSError as exc:
            raise CollectError(
                f"cannot write the bundle: {exc.strerror or exc}; nothing was stored", target
            ) from exc
        finally:
            with suppress(OSError):
                Path(temporary).unlink()
        try:
            sync_directory(target.parent)
        except OSError as exc:
            raise CollectError(
                f"the bundle was stored, but flushing its folder failed: {exc.strerror or exc}",
                target,
            ) from exc
        return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ("bucket", "some/prefix/"): the prefix is a folder."""
    rest = url[len(S3_SCHEME) :]
    bucket, _, prefix = rest.partition("/")
    if not bucket:
        raise CollectError(f"{url!r}: no bucket name (expected s3://BUCKET/PREFIX/)")
    prefix = prefix.strip("/")
    return bucket, f"{prefix}/" if prefix else ""


def _boto3() -> Any:
    try:
        import boto3
    except ImportError as exc:
        raise CollectError(f"s3:// locations need boto3: {INSTALL_HINT}") from exc
    return boto3


class S3Storage:
    def __init__(self, url: str) -> None:
        self.bucket, self.prefix = parse_s3_url(url)
        self.url = f"{S3_SCHEME}{self.bucket}/{self.prefix}"
        boto3 = _boto3()
        from botocore.exceptions import BotoCoreError, ClientError

        self._errors: tuple[type[Exception], ...] = (BotoCoreError, ClientError)
        self._client_error: type[Exception] = ClientError
        try:
            self._client = boto3.client("s3")
        except self._errors as exc:
            raise self._refusal("cannot make an S3 client", exc) from exc

    def _refusal(self, doing: str, exc: Exception, key: str | None = None) -> CollectError:
        where = f"{S3_SCHEME}{self.bucket}/{key if key is not None else self.prefix}"
        if isinstance(exc, self._client_error):
            error = getattr(exc, "response", {}).get("Error", {})
            reason = f"{error.get('Code', '?')}: {error.get('Message', exc)}"
        else:
            reason = str(exc)
        # In the message, not as CollectError's path: a Path would fold "s3://" to "s3:/".
        return CollectError(f"{where}: {doing}: {reason}")

    def list_names(self) -> list[str]:
        names = []
        try:
            pages = self._client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix
            )
            for page in pages:
                for item in page.get("Contents", []):
                    name = str(item["Key"])[len(self.prefix) :]
                    if _is_bundle_name(name):
                        names.append(name)
        except self._errors as exc:
            raise self._refusal("cannot list bundles", exc) from exc
        return sorted(names)

    def read(self, name: str) -> bytes:
        key = self.prefix + name
        try:
            body = self._client.get_object(Bucket=self.bucket, Key=key)["Body"]
            return bytes(body.read())
        except self._errors as exc:
            raise self._refusal("cannot read bundle", exc, key) from exc

    def create(self, name: str, data: bytes) -> bool:
        key = self.prefix + name
        for attempt in range(_CONFLICT_RETRIES):
            status = self._upload(key, data)
            if status != 409:
                return status == 200  # 412: the name exists, these files were captured already
            time.sleep(0.05 * 2**attempt)
        raise CollectError(
            f"{S3_SCHEME}{self.bucket}/{key}: cannot store the bundle: concurrent writes of "
            f"this name kept conflicting (409) after {_CONFLICT_RETRIES} tries"
        )

    def _upload(self, key: str, data: bytes) -> int:
        """200, or the status of a conditional write that did not take place (412, 409).

        A one-part multipart upload rather than one PUT: the object appears only when
        CompleteMultipartUpload is accepted, after the whole part has arrived. A PUT cut
        off mid-body is discarded by S3, but not by every S3-compatible server (moto keeps
        what arrived); an upload never completed is never listed, whatever the server.
        """
        client, completed = self._client, False
        try:
            upload = client.create_multipart_upload(
                Bucket=self.bucket, Key=key, ContentType="application/gzip"
            )["UploadId"]
        except self._errors as exc:
            raise self._refusal("cannot store the bundle", exc, key) from exc
        try:
            part = client.upload_part(
                Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=1, Body=data
            )
            # The checksum botocore sent with the part, when it sends one, must be repeated.
            checksums = {k: v for k, v in part.items() if k in _PART_CHECKSUMS}
            client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=key,
                UploadId=upload,
                MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"], **checksums}]},
                IfNoneMatch="*",
            )
            completed = True
        except self._client_error as exc:
            status = getattr(exc, "response", {}).get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in {409, 412}:
                return int(status)
            raise self._refusal("cannot store the bundle", exc, key) from exc
        except self._errors as exc:
            refusal = self._refusal("cannot store the bundle", exc, key)
            if "IfNoneMatch" in str(exc):  # a boto3 older than conditional writes
                refusal = CollectError(
                    f"{refusal.reason} (this boto3 cannot write create-only: "
                    "pip install -U 'sphinx-dftable[aws]')"
                )
            raise refusal from exc
        finally:
            if not completed:
                with suppress(*self._errors):
                    client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload)
        return 200
