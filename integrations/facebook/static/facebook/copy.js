// Copy buttons (data-copy-from="<textarea id>"): the clipboard API where the browser allows it
// (https or localhost), else select the text and copy it the old way.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-from]");
  if (!button) { return; }
  var box = document.getElementById(button.getAttribute("data-copy-from"));
  var done = function () { button.textContent = "Copied"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(box.value).then(done);
  } else {
    box.select();
    document.execCommand("copy");
    done();
  }
});
