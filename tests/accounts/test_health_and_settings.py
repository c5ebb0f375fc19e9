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


# What `docker compose config` checks that a typo would break, read from the file itself so
# that the test runs where there is no Docker (CI has none).
COMPOSE_TOP_LEVEL = {"name", "services", "networks", "volumes", "configs", "secrets"}
COMPOSE_SERVICE_KEYS = {
    "build", "command", "configs", "container_name", "depends_on", "entrypoint", "env_file",
    "environment", "expose", "extra_hosts", "healthcheck", "image", "init", "labels",
    "logging", "networks", "ports", "profiles", "restart", "secrets", "stop_grace_period",
    "user", "volumes", "working_dir", "deploy", "scale", "tmpfs", "ulimits",
}  # fmt: skip
COMPOSE_RESTART = {"no", "always", "on-failure", "unless-stopped"}
COMPOSE_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def compose_problems(compose: dict) -> list[str]:
    """The mistakes `docker compose config` would refuse: unknown keys, a service with nothing
    to run, a dependency on no service, a named volume or network that is not declared."""
    problems = [f"unknown top-level key {key}" for key in compose if not key.startswith("x-")]
    problems = [p for p in problems if p.split()[-1] not in COMPOSE_TOP_LEVEL]
    services = compose.get("services") or {}
    volumes = set(compose.get("volumes") or {})
    networks = set(compose.get("networks") or {}) | {"default"}
    for name, service in services.items():
        where = f"service {name}"
        problems += [f"{where}: unknown key {k}" for k in service if k not in COMPOSE_SERVICE_KEYS]
        if "image" not in service and "build" not in service:
            problems.append(f"{where}: neither image nor build")
        if service.get("restart", "no") not in COMPOSE_RESTART:
            problems.append(f"{where}: restart {service['restart']}")
        depends = service.get("depends_on") or []
        for other in depends:
            if other not in services or other == name:
                problems.append(f"{where}: depends on {other}, which is not another service")
            elif isinstance(depends, dict):
                condition = depends[other].get("condition", "service_started")
                if condition not in COMPOSE_CONDITIONS:
                    problems.append(f"{where}: condition {condition}")
                if condition == "service_healthy" and "healthcheck" not in services[other]:
                    problems.append(f"{where}: waits for {other} to be healthy; it has no check")
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0] if isinstance(volume, str) else volume.get("source")
            if source and not source.startswith((".", "/", "$", "~")) and source not in volumes:
                problems.append(f"{where}: volume {source} is not declared")
        for network in service.get("networks") or []:
            if network not in networks:
                problems.append(f"{where}: network {network} is not declared")
        for port in [*(service.get("ports") or []), *(service.get("expose") or [])]:
            if not isinstance(port, str | int | dict):
                problems.append(f"{where}: port {port!r}")
        check = service.get("healthcheck", {}).get("test")
        if check is not None and not (
            isinstance(check, str) or check[0] in {"CMD", "CMD-SHELL", "NONE"}
        ):
            problems.append(f"{where}: a healthcheck test starts with CMD, CMD-SHELL or NONE")
        for env_file in service.get("env_file") or []:
            entry = env_file if isinstance(env_file, dict) else {"path": env_file}
            if entry.get("required", True) and not (ROOT / entry["path"]).exists():
                problems.append(f"{where}: env_file {entry['path']} is required and missing")
    return problems


def test_docker_compose_file_is_valid():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose_problems(compose) == []


def test_the_compose_check_finds_the_mistakes_it_looks_for():
    broken = {
        "services": {
            "web": {"build": ".", "depends_on": {"db": {"condition": "service_healthy"}}},
            "db": {"image": "postgres:15", "volumes": ["pgdata:/var/lib/postgresql/data"]},
            "worker": {"comand": ["celery"], "depends_on": ["queue"], "restart": "sometimes"},
        },
        "volume": {},
    }
    assert compose_problems(broken) == [
        "unknown top-level key volume",
        "service web: waits for db to be healthy; it has no check",
        "service db: volume pgdata is not declared",
        "service worker: unknown key comand",
        "service worker: neither image nor build",
        "service worker: restart sometimes",
        "service worker: depends on queue, which is not another service",
    ]


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
