// Copy buttons (data-copy-from="<id of the text>"): the clipboard API where the browser allows it
// (https or localhost), else - or when it refuses - select the text and copy it the old way,
// leaving it selected so Ctrl+C works even if that fails too. What the button then says comes from
// the page (data-copied, data-selected), in the reader's language.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-from]");
  if (!button) { return; }
  var box = document.getElementById(button.getAttribute("data-copy-from"));
  if (!box) { return; }
  var done = function () { button.textContent = button.getAttribute("data-copied") || "Copied"; };
  var text = box.value !== undefined ? box.value : box.textContent;
  var byHand = function () {
    var range = document.createRange();
    range.selectNodeContents(box);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      if (document.execCommand("copy")) { done(); return; }
    } catch (e) { /* fall through */ }
    button.textContent = button.getAttribute("data-selected") || "Selected: press Ctrl+C";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, byHand);
  } else {
    byHand();
  }
});
