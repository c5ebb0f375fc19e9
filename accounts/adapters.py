from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: people join a local through a leader's invitation."""

    def is_open_for_signup(self, request) -> bool:
        return False
