"""The system checks that catch a configuration which would work on one machine and fail, or
quietly misbehave, once deployed behind a proxy or across several machines."""

import pytest

from tests.accounts.test_health_and_settings import PRODUCTION, run_manage


def deploy_check(**env):
    production = {**PRODUCTION, **env}
    for name in [name for name, value in env.items() if value is None]:
        del production[name]
    return run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=production)


def test_production_without_a_trusted_proxy_count_is_warned_about():
    result = deploy_check(TRUSTED_PROXY_COUNT=None)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "commongood.W003" in output
    assert "set TRUSTED_PROXY_COUNT" in output


def test_development_is_not_warned_about_proxies():
    result = run_manage("check", "--deploy", env_extra={"DEBUG": "true"})
    assert "commongood.W003" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "env,check",
    [
        ({"AWS_S3_ENDPOINT_URL": "https://objects.example.org"}, "commongood.E020"),
        ({"AWS_S3_REGION_NAME": "eu-west-1"}, "commongood.E020"),
        ({"AWS_STORAGE_BUCKET_NAME": "cg", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE"}, "commongood.E021"),
        ({"AWS_STORAGE_BUCKET_NAME": "cg", "AWS_SECRET_ACCESS_KEY": "secret"}, "commongood.E021"),
    ],
)
def test_half_configured_object_storage_is_an_error(env, check):
    result = run_manage("check", env_extra={**PRODUCTION, **env})
    assert result.returncode != 0
    assert check in result.stdout + result.stderr


def test_a_complete_object_storage_configuration_passes_the_deploy_checks():
    result = deploy_check(
        AWS_STORAGE_BUCKET_NAME="commongood-files",
        AWS_S3_ENDPOINT_URL="https://objects.example.org",
        AWS_S3_REGION_NAME="auto",
        AWS_ACCESS_KEY_ID="AKIAEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stdout + result.stderr
