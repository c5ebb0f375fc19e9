from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people join a local through a leader's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def format_email_subject(self, subject) -> str:
        # The app's name in the reader's language ("[Bien Común]"), where a fixed
        # ACCOUNT_EMAIL_SUBJECT_PREFIX would stay English.
        return f"[{gettext('Common Good')}] {subject}"
