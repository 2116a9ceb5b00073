"""A search of a large admin list that never looks up every row through an index.

With a search, the list counts the matches (one read of the table) and asks for the newest
of them: the database walks the newest-first index, looking up each row it points to, until it
has a page. When many rows match, that stops early; when few do, it looks up every row: 1.3 s
for 100,000 external calls on MariaDB and 300 ms on SQLite, against 80 ms and 40 ms for reading
the table straight through. So once the count says the matches are few, the page is ordered by
an expression of the same columns, which no index serves: both databases then read the table
once and sort only what matched.
"""

from django.contrib.admin.views.main import ChangeList
from django.db.models import F
from django.db.models.functions import Coalesce

# Walking the index costs about total / matches lookups per row shown, and a lookup about ten
# rows of a straight read: below ten matches per row of the page, reading the table is cheaper.
LOOKUP_COST_IN_ROWS = 10


class SearchReadsTheTableOnce:
    """ModelAdmin mixin, listed before `admin.ModelAdmin`."""

    def get_changelist(self, request, **kwargs):
        return SearchChangeList


class SearchChangeList(ChangeList):
    def get_results(self, request):
        super().get_results(request)  # counts; the page itself is read later, when shown
        if not self.query.strip() or self.result_count >= LOOKUP_COST_IN_ROWS * self.list_per_page:
            return
        self.queryset = self.queryset.order_by(
            *map(_not_from_an_index, self.queryset.query.order_by)
        )
        if self.multi_page and not (self.show_all and self.can_show_all):
            first = (self.page_num - 1) * self.list_per_page
            self.result_list = self.queryset[first : first + self.list_per_page]
        else:
            self.result_list = self.queryset._clone()


def _not_from_an_index(field):
    if not isinstance(field, str) or field.lstrip("-") in ("pk", "id"):
        return field
    name = field.lstrip("-")
    same_values = Coalesce(F(name), F(name))  # the column's own values, in no index's order
    return same_values.desc() if field.startswith("-") else same_values.asc()
