from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation (staff) or by joining a network (members), never by open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False
