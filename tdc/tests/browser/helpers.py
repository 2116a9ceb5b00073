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
    """Do what the django-q2 worker would: run every queued task, oldest first, until the queue
    is empty (a task may queue another).

    The browser tests run no worker process; this takes the place of one between two steps.
    It reads the queue table in id order rather than through the broker's dequeue, which picks
    rows in no particular order and sleeps whenever the queue is empty.
    """
    from django.utils.module_loading import import_string
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    results = []
    while queued := OrmQ.objects.order_by("pk").first():
        task = SignedPackage.loads(queued.payload)
        function = task["func"]
        if isinstance(function, str):
            function = import_string(function)
        results.append(function(*task.get("args", ()), **task.get("kwargs", {})))
        queued.delete()  # acknowledged, as the worker does once a task has run
    return results
