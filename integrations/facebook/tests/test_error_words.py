"""Errors are recorded in English (the task worker has no reader's language) and shown to
staff in theirs; Facebook's own words stay as Facebook wrote them."""

from django.utils import translation

from integrations import http
from integrations.facebook import client
from integrations.facebook.models import FacebookPost
from integrations.in_words import in_words

RECORDED = client.WITH_ADVICE % {
    "error": client.GRAPH_ERROR % {"code": "190/463", "message": "Session has expired"},
    "advice": client.advice_for(190, 463),
}


def test_a_recorded_graph_error_reads_as_recorded_in_english():
    post = FacebookPost(error_message=RECORDED)

    with translation.override("en"):
        assert post.error_summary == (
            "Graph API error 190/463: Session has expired — The Page token has expired: renew "
            "the Page token (FACEBOOK_PAGE_ACCESS_TOKEN)."
        )


def test_a_recorded_graph_error_reads_in_italian_with_facebooks_words_kept():
    post = FacebookPost(error_message=RECORDED)

    with translation.override("it"):
        assert post.error_summary == (
            "Errore 190/463 della Graph API: Session has expired — Il token della Pagina è "
            "scaduto: rinnova il token della Pagina (FACEBOOK_PAGE_ACCESS_TOKEN)."
        )


def test_an_error_of_no_known_wording_is_shown_as_recorded():
    post = FacebookPost(error_message="The Page went quiet: no reply in 3 tries")

    with translation.override("it"):
        assert post.error_summary == "The Page went quiet: no reply in 3 tries"


def test_a_network_error_met_while_posting_reads_in_italian_as_every_services_does():
    # Facebook knows the transport's wordings too: one recognition for every service.
    recorded = client.WITH_ADVICE % {
        "error": http.NETWORK_ERROR % {"problem": "timed out"},
        "advice": client.SERVER_TROUBLE,
    }
    post = FacebookPost(error_message=recorded)

    with translation.override("it"):
        assert in_words("Network error: timed out") == "Errore di rete: timed out"
        assert post.error_summary == (
            "Errore di rete: timed out — Un problema temporaneo di Facebook; il post verrà "
            "ritentato più tardi."
        )
