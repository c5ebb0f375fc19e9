import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, monkeypatch):
    from config.celery import app

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(app, "connection_for_write", broken)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"].startswith("error")


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-production-secret-that-is-long-and-random-9f8e7d6c5b4a",
    "ALLOWED_HOSTS": "bargaining.example.org",
    "SITE_URL": "https://bargaining.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
}


def test_deploy_checks_are_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_with_the_development_key_is_refused():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "commongood.E001" in result.stdout + result.stderr


def test_docker_compose_has_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("web", "db", "redis", "worker"):
        assert "healthcheck" in services[name], name
    assert {"pgdata", "objects"} <= set(compose["volumes"])
    assert "gunicorn" in " ".join(services["web"]["command"])


def test_docker_compose_puts_a_tls_proxy_in_front_of_gunicorn():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "dynamic a web 8000" in caddyfile
    # One trusted proxy, and gunicorn is not published where a client could bypass it.
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "1"
    assert "ports" not in services["web"]
    assert "USE_X_FORWARDED_FOR" not in (ROOT / "README.md").read_text()
    assert "TRUSTED_PROXY_COUNT" in (ROOT / "README.md").read_text()


def test_docker_compose_config_when_the_client_has_compose():
    probe = (
        subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if _has_docker()
        else None
    )
    if probe is None or probe.returncode != 0:
        # Only the YAML check above can run here; nothing to skip loudly about.
        return
    result = subprocess.run(
        ["docker", "compose", "config", "-q"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _has_docker() -> bool:
    from shutil import which

    return which("docker") is not None


def test_make_run_takes_a_port_and_email_links_follow_it():
    """`make run PORT=8001` serves there, and SITE_URL (the links in emails) says so too."""
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT"}}
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8001"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8001 " in dry
    assert "start --port 8001" in dry
    assert "runserver 127.0.0.1:$PORT" in (ROOT / "Procfile.dev").read_text()
