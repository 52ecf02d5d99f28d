"""docker-compose.yml cannot be started here (no Docker engine), so it is kept
correct by reading it: the services, their wiring, and the files it relies on."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "worker", "beat"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_defines_database_broker_migrate_web_worker_and_beat(services):
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)


def test_database_is_postgres_15_and_broker_is_redis_7(services):
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"


def test_database_and_broker_have_healthchecks(services):
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_database_keeps_its_data_in_a_named_volume(compose, services):
    volumes = [v.split(":")[0] for v in services["db"]["volumes"]]
    data_volumes = [v for v in volumes if v in (compose.get("volumes") or {})]
    assert data_volumes, "the db service must keep its data in a named volume"


def test_migrate_runs_migrations_and_collectstatic_once(services):
    migrate = services["migrate"]
    assert "manage.py migrate --noinput" in command_of(migrate)
    assert "manage.py collectstatic --noinput" in command_of(migrate)
    assert migrate.get("restart", "no") == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"


def test_web_runs_gunicorn_with_the_wsgi_application(services):
    command = command_of(services["web"])
    assert command.startswith("gunicorn ")
    assert "jwp.wsgi:application" in command
    assert "0.0.0.0:8000" in command


def test_web_starts_after_migrations_succeeded_and_the_database_is_healthy(services):
    depends_on = services["web"]["depends_on"]
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["db"]["condition"] == "service_healthy"


def test_web_healthcheck_asks_for_healthz(services):
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_run_celery_with_the_jwp_app(services, name):
    command = command_of(services[name])
    assert command.startswith("celery -A jwp ")
    assert f" {name}" in command
    assert services[name]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_are_built_here_and_read_env_file(services, name):
    service = services[name]
    assert service["build"] == "."
    env_file = service["env_file"]
    assert env_file == ".env" or env_file == [".env"]


@pytest.mark.parametrize("name", ["migrate", "web", "worker"])
def test_app_services_share_the_media_volume(services, name):
    assert any(v.startswith("media:") for v in services[name]["volumes"])


@pytest.mark.parametrize("name", ["migrate", "web"])
def test_collected_static_files_reach_web(services, name):
    assert any(v.startswith("static:") for v in services[name]["volumes"])


def test_database_init_script_and_the_app_role_file_are_mounted(services):
    mounts = {
        (ROOT / v.split(":")[0]).resolve(): v.split(":")[1]
        for v in services["db"]["volumes"]
        if v.startswith("./")
    }
    assert mounts[ROOT / "deploy" / "postgres-init.sh"].startswith("/docker-entrypoint-initdb.d/")
    # Outside the init folder (the image would run a .sql file there itself, without
    # the variables); the init script finds it through JWP_APP_ROLE_SQL.
    role_sql = mounts[ROOT / "deploy" / "postgres-app-role.sql"]
    assert not role_sql.startswith("/docker-entrypoint-initdb.d/")
    assert services["db"]["environment"]["JWP_APP_ROLE_SQL"] == role_sql


def test_application_connects_as_the_app_role_not_the_superuser(env_example, services):
    url = env_example["DATABASE_URL"]
    assert url.startswith("postgres://jwp_app:")
    assert url.endswith("@db:5432/jwp")
    assert services["db"]["environment"]["POSTGRES_USER"] != "jwp_app"


def test_migrations_run_as_the_owner_and_only_there(env_example, services):
    assert env_example["MIGRATE_DATABASE_URL"].startswith("postgres://jwp_owner:")
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("${MIGRATE_DATABASE_URL")
    for name in ["web", "worker", "beat"]:
        environment = services[name].get("environment", {})
        assert "DATABASE_URL" not in environment, f"{name} must connect as jwp_app"
        for secret in ["MIGRATE_DATABASE_URL", "JWP_DB_OWNER_PASSWORD", "POSTGRES_PASSWORD"]:
            assert environment.get(secret) == "", f"{name} must not get {secret}"


@pytest.mark.parametrize(
    "variable", ["DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS", "DEBUG"]
)
def test_env_example_sets_every_variable_the_app_needs(env_example, variable):
    assert env_example.get(variable), f"deploy/env.example must set {variable}"


def test_env_example_is_a_production_configuration(env_example):
    assert env_example["DEBUG"] == "false"
    assert env_example["HTTPS"] == "true"
    assert env_example["REDIS_URL"] == "redis://redis:6379/0"


def test_every_variable_compose_interpolates_is_in_env_example(env_example):
    text = (ROOT / "docker-compose.yml").read_text()
    names = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text))
    assert names, "expected ${...} values for the db passwords"
    assert names <= set(env_example), f"missing in deploy/env.example: {names - set(env_example)}"


def test_dockerfile_installs_requirements_lock_and_runs_as_non_root():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim-bookworm\b", dockerfile, re.M)
    assert re.search(r"pip install (.* )?-r requirements\.lock", dockerfile)
    assert "COPY requirements.lock" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", "var/", ".git"):
        assert entry in ignored
