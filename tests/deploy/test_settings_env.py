"""Settings come from the environment: a production environment passes
`check --deploy`, and a bad value stops start-up with a message naming the
variable. Each case starts a fresh `manage.py` process, as a deployment would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    """Only what a production container would have, nothing from this shell."""
    return {
        **{name: value for name, value in os.environ.items() if name in PASSED_THROUGH},
        "DJANGO_SETTINGS_MODULE": "jwp.settings",
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": secrets.token_urlsafe(48),  # 64 characters
        "ALLOWED_HOSTS": "jwp.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://jwp.example.org",
        "SITE_URL": "https://jwp.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "REDIS_URL": "redis://redis.invalid:6379/0",  # not contacted by `check`
        "JWP_VAR_DIR": str(tmp_path),
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_configuration_passes_check_deploy(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://x"),
        ("DATABASE_URL", "notaurl"),
        ("REDIS_URL", "http://x"),
        ("DEBUG", "maybe"),
        ("SECRET_KEY", "short"),
    ],
    ids=["mysql-database", "database-not-a-url", "redis-over-http", "debug-maybe", "short-key"],
)
def test_bad_value_stops_startup_naming_the_variable(production_env, variable, value):
    result = manage({**production_env, variable: value}, "check")
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1], result.stderr


@pytest.mark.parametrize("variable", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL"])
def test_production_does_not_fall_back_to_embedded_defaults(production_env, variable):
    env = {k: v for k, v in production_env.items() if k != variable}
    result = manage(env, "check")
    assert result.returncode != 0, result.stdout
    assert variable in result.stderr.splitlines()[-1], result.stderr
