"""Steps the browser tests share, written as staff would do them."""

STAFF_PASSWORD = "pw-for-browser-tests"


def sign_in(page, user, password: str = STAFF_PASSWORD) -> None:
    """Sign in through the admin's login form, as staff do."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
