"""``watcher-api`` as a process: ``[api] workers`` forks that many processes on one socket,
SIGTERM stops them all, and ``[api] enable_ssl_api`` serves TLS."""

from __future__ import annotations

import datetime
import json
import os
import signal
import ssl
import urllib.error
import urllib.request

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from watcher.tests.integration.client import conftest

pytestmark = pytest.mark.integration


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state, then the parent pid.
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_serve_and_stop_together(tmp_path):
    db_url = f"sqlite:///{tmp_path}/watcher.sqlite"
    conftest.prepare_database(db_url)
    port = conftest.free_port()
    config = tmp_path / "watcher.conf"
    config.write_text(
        "[DEFAULT]\nenable_authentication = False\ntransport_url = fake://\n"
        f"[database]\nconnection = {db_url}\n"
        f"[api]\nhost = 127.0.0.1\nport = {port}\nworkers = 3\n"
    )
    process = conftest.start_service("watcher-api", config, tmp_path, port)
    try:
        workers = _children(process.pid)
        assert len(workers) == 2
        for _ in range(6):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/goals") as response:
                assert [g["name"] for g in json.load(response)["goals"]] == [
                    "dummy", "server_consolidation"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert not any(_alive(pid) for pid in workers)
    finally:
        if process.poll() is None:
            conftest.stop_service(process)


def _self_signed(directory) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "api.crt", directory / "api.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_tls_when_enable_ssl_api(tmp_path):
    db_url = f"sqlite:///{tmp_path}/watcher.sqlite"
    conftest.prepare_database(db_url)
    cert_file, key_file = _self_signed(tmp_path)
    port = conftest.free_port()
    config = tmp_path / "watcher.conf"
    config.write_text(
        "[DEFAULT]\nenable_authentication = False\ntransport_url = fake://\n"
        f"[database]\nconnection = {db_url}\n"
        f"[api]\nhost = 127.0.0.1\nport = {port}\nworkers = 1\nenable_ssl_api = True\n"
        f"[ssl]\ncert_file = {cert_file}\nkey_file = {key_file}\n"
    )
    process = conftest.start_service("watcher-api", config, tmp_path, port)
    try:
        context = ssl.create_default_context(cafile=cert_file)
        context.check_hostname = False
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/v1", context=context) as response:
            body = json.load(response)
        assert body["links"][0]["href"] == f"https://127.0.0.1:{port}/v1/"
        # Plain HTTP gets no answer: the server only speaks TLS.
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1", timeout=5)
    finally:
        conftest.stop_service(process)
