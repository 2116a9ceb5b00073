// Shows an event's start in the visitor's own time zone. The page already says it in SLT and
// in Italy's time, so without script nothing is missing but this line.
(function () {
  "use strict";
  document.querySelectorAll("[data-local-time]").forEach(function (item) {
    var start = new Date(item.getAttribute("data-start"));
    if (isNaN(start.getTime())) return;
    var language = document.documentElement.lang || undefined;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var when = new Intl.DateTimeFormat(language, {
      weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short"
    }).format(start);
    item.textContent = item.getAttribute("data-label") + ": " + when + (zone ? " (" + zone + ")" : "");
    item.hidden = false;
  });
})();
