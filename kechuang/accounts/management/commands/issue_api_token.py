from django.core.management.base import BaseCommand, CommandError

from kechuang.accounts.models import User
from kechuang.accounts.services import do_issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for a user (e.g. a bank's system account). The key is shown once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. 'ICBC loan system'")
        parser.add_argument("--days", type=int, default=None, help="valid for this many days (1-365)")

    def handle(self, *args, username, name, days=None, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        token, key = do_issue_api_token(user, name, acting_user=None, days=days)
        self.stdout.write(
            f"token {token.prefix}… for {username}, valid until {token.expires_at:%Y-%m-%d}: {key}"
        )
        self.stdout.write("Store it now; only its hash is kept. Use it as:  Authorization: Bearer <token>")
