"""docker-compose.yml's scaled-out shape: several web and worker containers, beat exactly once,
PostgreSQL, Redis and an object store as services, and no file on any container's own disk
that another container needs."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("migrate", "web", "worker", "beat")


def test_several_web_and_worker_containers_and_exactly_one_beat():
    assert SERVICES["web"]["deploy"]["replicas"] >= 2
    assert SERVICES["worker"]["deploy"]["replicas"] >= 2
    assert SERVICES["beat"]["deploy"]["replicas"] == 1
    beats = [name for name, s in SERVICES.items() if "beat" in " ".join(s.get("command", []))]
    assert beats == ["beat"]


def test_migrations_run_once_before_the_web_and_worker_containers_start():
    assert "migrate" in SERVICES["migrate"]["command"]
    assert SERVICES["migrate"]["restart"] == "no"
    assert "migrate" not in " ".join(SERVICES["web"]["command"])
    for name in ("web", "worker", "beat"):
        assert SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }


def test_every_app_container_uses_the_shared_services_and_the_object_store():
    for name in APP:
        env = SERVICES[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["CACHE_URL"].startswith("redis://redis:")
        assert env["AWS_STORAGE_BUCKET_NAME"]
        assert env["AWS_S3_ENDPOINT_URL"] == "http://objects:9000"
    assert SERVICES["objects"]["image"].startswith("minio/")
    assert "ports" not in SERVICES["objects"], "the object store is not published"
    assert "mc anonymous set none" in " ".join(SERVICES["bucket"]["command"])


def test_no_app_container_shares_a_folder_with_another():
    mounts = {
        name: [volume.split(":")[0] for volume in SERVICES[name].get("volumes", [])] for name in APP
    }
    assert mounts == {"migrate": [], "web": [], "worker": [], "beat": ["beat"]}
    assert not {"media", "private"} & set(COMPOSE["volumes"])


def test_the_readme_names_managed_equivalents_of_each_service():
    readme = (ROOT / "README.md").read_text()
    for word in ("RDS", "Cloud SQL", "ElastiCache", "Memorystore", "R2", "GCS"):
        assert word in readme, word
    for variable in ("AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID"):
        assert variable in readme, variable
