"""Secrets: no built-in key, a clear refusal to start without one, and a clean deploy check in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
OLD_BUILT_IN_KEY = "dev-only-insecure-key-change-me-in-production-0123456789"


def manage(*args, env: dict, cwd=ROOT):
    # The browser tests' fixture sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    inherited_only_by_tests = {
        "SECRET_KEY",
        "SECRET_KEY_FILE",
        "DEBUG",
        "KECHUANG_DEV_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in inherited_only_by_tests}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_env(tmp_path) -> dict:
    """The production configuration from the README, with a real key file."""
    key_file = tmp_path / "kechuang_key"
    key_file.write_text(secrets.token_urlsafe(64))
    return {
        "DATABASE_URL": "postgres://kechuang:secret@db.example:5432/kechuang",
        "SECRET_KEY_FILE": str(key_file),
        "ALLOWED_HOSTS": "kechuang.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://kechuang.example.gov.cn",
        "KECHUANG_HTTPS": "1",
        "KECHUANG_DATA_DIR": str(tmp_path / "data"),
        "KECHUANG_MANIFEST_STATIC": "1",
    }


def test_without_a_secret_key_and_without_debug_the_site_refuses_to_start(tmp_path):
    result = manage("check", env={"KECHUANG_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY is not set" in result.stderr
    wsgi = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "KECHUANG_DEV_KEY"}},
            "KECHUANG_DATA_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert wsgi.returncode != 0 and "SECRET_KEY is not set" in wsgi.stderr


def test_debug_mode_makes_its_own_random_key_once_and_never_the_built_in_one(tmp_path):
    env = {"DEBUG": "1", "KECHUANG_DATA_DIR": str(tmp_path)}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "-c", code, env=env)
    second = manage("shell", "-c", code, env=env)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50 and key == second.stdout.strip() and key != OLD_BUILT_IN_KEY
    assert (tmp_path / "dev-secret-key").stat().st_mode & 0o077 == 0


def test_the_test_suite_does_not_run_on_the_old_built_in_key():
    assert settings.SECRET_KEY != OLD_BUILT_IN_KEY and len(settings.SECRET_KEY) >= 50


def test_deploy_checks_are_clean_in_the_readme_production_configuration(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_signature_in_the_code_names_its_own_salt():
    import re

    calls = re.compile(r"signing\.(dumps|loads)\(|(TimestampSigner|Signer)\(")
    missing = []
    for path in (ROOT / "kechuang").rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        for match in calls.finditer(text):
            call = text[match.start() : text.find("\n", match.start())]
            if "salt=" not in call:
                missing.append(f"{path.relative_to(ROOT)}: {call.strip()}")
    assert not missing
