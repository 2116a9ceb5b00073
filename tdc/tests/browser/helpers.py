"""Steps the browser tests share, written as staff would do them."""

STAFF_PASSWORD = "pw-for-browser-tests"


def sign_in(page, user, password: str = STAFF_PASSWORD) -> None:
    """Sign in through the admin's login form, as staff do."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def run_queued_tasks() -> list:
    """Do what the django-q2 worker would: run every queued task once, oldest first.

    The browser tests run no worker process; this takes the place of one between two steps.
    """
    from django.utils.module_loading import import_string
    from django_q.brokers import get_broker
    from django_q.signing import SignedPackage

    broker = get_broker()
    results = []
    while batch := broker.dequeue():
        for ack_id, package in batch:
            task = SignedPackage.loads(package)
            function = task["func"]
            if isinstance(function, str):
                function = import_string(function)
            results.append(function(*task.get("args", ()), **task.get("kwargs", {})))
            broker.acknowledge(ack_id)
    return results
