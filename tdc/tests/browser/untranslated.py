"""Which of our English source strings a page still shows: for the tests that look at a screen
in Italian. The strings come from the catalogue (tdc/tests/catalogue.py), so a screen is
checked for the messages of every file listed in CHECKED_FOR_ITALIAN, and for more as that
list grows.
"""

from tdc.tests.catalogue import CHECKED_FOR_ITALIAN, english_in

# What a reader meets: the visible text, the title, and the words of buttons, pictures and
# fields that are not text (value, alt, placeholder, title, aria-label).
_PAGE_TEXT = """() => {
  const words = [document.title, document.body.innerText];
  const selector = "input[type=submit], input[type=button], input[type=reset], [alt], "
    + "[placeholder], [title], [aria-label]";
  for (const element of document.querySelectorAll(selector)) {
    if (element.checkVisibility && !element.checkVisibility()) continue;
    for (const name of ["value", "alt", "placeholder", "title", "aria-label"]) {
      if (name === "value" && element.tagName !== "INPUT") continue;
      const value = element.getAttribute(name);
      if (value) words.push(value);
    }
  }
  return words.join("\\n");
}"""


def page_text(page) -> str:
    """The text a reader of the page meets, visible or read aloud."""
    return " ".join(page.evaluate(_PAGE_TEXT).split())


def english_left_on(page, scope: list[str] = CHECKED_FOR_ITALIAN) -> list[str]:
    """Our English source strings (from the files in `scope`) that the page shows untranslated."""
    return english_in(page_text(page), scope)
