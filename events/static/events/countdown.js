// A live countdown to the next event's start; "On now!" while it runs. Without script the
// start time is on the page anyway.
(function () {
  "use strict";
  var box = document.querySelector("[data-countdown]");
  if (!box) return;
  var start = new Date(box.getAttribute("data-start")).getTime();
  var end = new Date(box.getAttribute("data-end")).getTime();
  if (isNaN(start) || isNaN(end)) return;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var now = Date.now();
    if (now >= end) {
      box.textContent = box.getAttribute("data-over");
      return false;
    }
    if (now >= start) {
      box.textContent = box.getAttribute("data-on-now");
      return true;
    }
    var left = Math.floor((start - now) / 1000);
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var clock = pad(Math.floor(rest / 3600)) + ":" + pad(Math.floor(rest % 3600 / 60)) + ":" + pad(rest % 60);
    box.textContent = box.getAttribute("data-starts-in") + " " +
      (days ? days + " " + box.getAttribute("data-days") + " " : "") + clock;
    return true;
  }
  box.hidden = false;
  if (tick()) {
    var timer = setInterval(function () { if (!tick()) clearInterval(timer); }, 1000);
  }
})();
