"""The search of a large admin list: one read of the table, and a cheap comparison per row.

`LIKE '%…%'` can use no index, so a search reads every row. Django's list reads the table to
count the matches, then asks for the newest of them: the database walks the newest-first index,
looking up each row it points to until it has a page. That stops early when many rows match;
when few do (an id, a rare error: what staff search for) it looks up every row: 1.3 s for
100,000 external calls on MariaDB, against 80 ms for reading the table straight through.

So a search first reads the keys of its matches with the values the list is ordered by, in no
order and at most MATCHES_READ_AT_ONCE of them: one read of the table. When that is all of them,
they are the count, and Python orders them to pick the page's keys, whose rows are then read by
key. When there are more, many rows match, and Django's own count and newest-first walk serve:
the walk stops after a page.

The comparison is most of a search's cost on MySQL/MariaDB: the tables' utf8mb4_unicode_ci
compares a character at a time by its Unicode weights. `field__caseless` in `search_fields`
compares through utf8mb4_general_ci, just as blind to case for a search, in about a third of the
time (SQLite's LIKE is already caseless and cheap).
"""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import InvalidPage
from django.db import models

# The keys of this many matches are a few hundred kilobytes, read with the table; beyond it,
# matches are at least one row in twenty of a large table, and the newest-first walk is short.
MATCHES_READ_AT_ONCE = 5_000


@models.CharField.register_lookup
@models.TextField.register_lookup
class Caseless(models.Transform):
    """The column as compared by a search: `search_fields = ["error__caseless"]`."""

    lookup_name = "caseless"

    def as_sql(self, compiler, connection):
        return compiler.compile(self.lhs)

    def as_mysql(self, compiler, connection):
        sql, params = compiler.compile(self.lhs)
        return f"{sql} COLLATE utf8mb4_general_ci", params


class SearchReadsTheTableOnce:
    """ModelAdmin mixin, listed before `admin.ModelAdmin`."""

    def get_changelist(self, request, **kwargs):
        return SearchChangeList


class SearchChangeList(ChangeList):
    def get_results(self, request):
        if not self.query.strip():
            return super().get_results(request)
        order = _ordering_python_sorts_alike(self.model, self.queryset.query.order_by)
        found = self.queryset.order_by().values_list("pk", *(name for name, _ in order or ()))
        rows = list(found[: MATCHES_READ_AT_ONCE + 1])
        if len(rows) > MATCHES_READ_AT_ONCE:
            return super().get_results(request)  # many match: Django's count, and a short walk
        if order is None:  # by text (the database's collation decides) or by an expression
            self.queryset = self.queryset.filter(pk__in=[row[0] for row in rows])
            return super().get_results(request)
        for position, (_name, descending) in reversed(list(enumerate(order, start=1))):
            # None where the databases put NULL: first going up, last going down.
            rows.sort(
                key=lambda row: (row[position] is not None, row[position]), reverse=descending
            )
        self._show([row[0] for row in rows], request)

    def _show(self, keys: list, request) -> None:
        """Django's `get_results`, with the matches' keys in the list's order already known."""
        paginator = self.model_admin.get_paginator(request, keys, self.list_per_page)
        self.result_count = paginator.count
        self.can_show_all = self.result_count <= self.list_max_show_all
        self.multi_page = self.result_count > self.list_per_page
        if (self.show_all and self.can_show_all) or not self.multi_page:
            shown = keys
        else:
            try:
                shown = paginator.page(self.page_num).object_list
            except InvalidPage:
                raise IncorrectLookupParameters from None
        self.result_list = self.queryset.filter(pk__in=shown)  # in the list's order
        self.show_full_result_count = self.model_admin.show_full_result_count
        self.full_result_count = self.root_queryset.count() if self.show_full_result_count else None
        self.show_admin_actions = not self.show_full_result_count or bool(self.full_result_count)
        self.paginator = paginator


# Values Python orders as both databases do; text is left to the database's collation.
_SORTED_ALIKE = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "FloatField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallAutoField",
    "SmallIntegerField",
    "TimeField",
}


def _ordering_python_sorts_alike(model, ordering) -> list[tuple[str, bool]] | None:
    """The list's ordering as (column, descending), if every column sorts alike in Python."""
    columns = []
    for term in ordering:
        if not isinstance(term, str) or "__" in term:
            return None
        name = term.removeprefix("-")
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.get_internal_type() not in _SORTED_ALIKE:
            return None
        columns.append((field.attname, term.startswith("-")))
    return columns
