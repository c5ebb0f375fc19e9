from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BroadcastsConfig(AppConfig):
    name = "broadcasts"
    verbose_name = _("Broadcasts")

    def ready(self) -> None:
        # The "Text" button joins the buttons beside a member on the steward's page.
        from campaigns import member_buttons

        from .texting import text_button

        member_buttons.register("text", text_button)
