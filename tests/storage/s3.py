"""A real S3-compatible server for the storage and scale-out tests: moto's standalone server,
a separate process speaking HTTP on a free port, with access control switched on so that only
signed requests from the app's own key get anything.

moto rather than npm's s3rver: s3rver answers anonymous requests for any object, so it cannot
show that a private file has no public URL; moto refuses them once its IAM checks are on."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3

BUCKET = "commongood-test"


@dataclass
class ObjectStore:
    endpoint: str
    bucket: str
    access_key: str
    secret_key: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def anonymous_get(self, key: str) -> int:
        """The status of a GET on the object's plain bucket URL, without any signature."""
        try:
            with urllib.request.urlopen(f"{self.endpoint}/{self.bucket}/{key}", timeout=5) as r:
                return r.status
        except urllib.error.HTTPError as error:
            return error.code

    def empty(self) -> None:
        client = self.client()
        for key in self.keys():
            client.delete_object(Bucket=self.bucket, Key=key)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"moto_server did not answer on {url}")


@contextmanager
def s3_server(folder: Path):
    """moto_server on a free port, with one bucket and one IAM user allowed to use it, and
    IAM checks on from then on (moto skips them until told, hence the set-up first)."""
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = (folder / "moto.log").open("w")
    server = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_for(f"{endpoint}/moto-api/", process)
        setup = {
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "aws_access_key_id": "setup",
            "aws_secret_access_key": "setup",
        }
        iam = boto3.client("iam", **setup)
        iam.create_user(UserName="commongood")
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        }
        iam.put_user_policy(
            UserName="commongood", PolicyName="bucket", PolicyDocument=json.dumps(policy)
        )
        key = iam.create_access_key(UserName="commongood")["AccessKey"]
        boto3.client("s3", **setup).create_bucket(Bucket=BUCKET)
        urllib.request.urlopen(
            urllib.request.Request(
                f"{endpoint}/moto-api/reset-auth",
                data=b"0",
                method="POST",
                headers={"Content-Type": "text/plain"},
            ),
            timeout=5,
        ).close()
        yield ObjectStore(endpoint, BUCKET, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def environment(store: ObjectStore) -> dict[str, str]:
    """The variables that point a web process or worker at the store, as in production."""
    return {
        "AWS_STORAGE_BUCKET_NAME": store.bucket,
        "AWS_S3_ENDPOINT_URL": store.endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": store.access_key,
        "AWS_SECRET_ACCESS_KEY": store.secret_key,
    }
