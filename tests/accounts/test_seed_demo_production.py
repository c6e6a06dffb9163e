"""`seed_demo` refuses a production database unless told, then sets random passwords once."""

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("seed_demo")

    assert not User.objects.filter(username="admin").exists()


def test_seed_demo_in_production_prints_random_passwords_once(settings, capsys, anon):
    settings.DEBUG = False

    call_command("seed_demo", "--i-know-this-is-production")
    first = capsys.readouterr().out
    call_command("seed_demo", "--i-know-this-is-production")
    second = capsys.readouterr().out

    admin = User.objects.get(username="admin")
    assert not admin.check_password(DEMO_PASSWORD)
    password = next(line.split()[1] for line in first.splitlines()
                    if line.strip().startswith("admin ") and len(line.split()) == 2)
    assert admin.check_password(password)
    assert DEMO_PASSWORD not in first
    assert password not in second
    passwords = [line.split()[1] for line in first.splitlines()[first.splitlines().index(
        next(line for line in first.splitlines() if "shown this once" in line)) + 1:]]
    assert len(set(passwords)) == len(passwords) == User.objects.count()
