from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation
from django.utils.translation import gettext


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people join a local through a leader's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def format_email_subject(self, subject) -> str:
        # The app's name in the reader's language ("[Bien Común]"), where a fixed
        # ACCOUNT_EMAIL_SUBJECT_PREFIX would stay English.
        return f"[{gettext('Common Good')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        """allauth's emails (password reset, address confirmation) in the language of the
        account they are about, not the language of the page that asked for them: a reset
        requested while signed out would otherwise follow the browser."""
        language = _language_for(email, context)
        if language is None:
            return super().send_mail(template_prefix, email, context)
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)


def _language_for(email: str, context: dict) -> str | None:
    from .models import User

    user = context.get("user")
    if not isinstance(user, User):
        user = User.objects.filter(email__iexact=email).first()
    # Someone who never chose a language keeps the one of the page that asked.
    return user.interface_language if user is not None and user.language else None
