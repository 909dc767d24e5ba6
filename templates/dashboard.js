/* global document, window, fetch, DOMParser, setInterval */
// incident-keeper dashboard: live countdowns and a refresh every 60 s. The page works without it.
"use strict";
(function () {
  var REFRESH_MS = 60000;
  function two(n) {
    return n < 10 ? "0" + n : String(n);
  }
  function span(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400),
      h = Math.floor((s % 86400) / 3600),
      m = Math.floor((s % 3600) / 60);
    var text = (d > 0 ? d + " d " : "") + (d > 0 || h > 0 ? h + " h " : "") + two(m) + " min " + two(s % 60) + " s";
    return ms >= 0 ? "in " + text : text + " ago";
  }
  function tick() {
    var now = Date.now();
    var times = document.querySelectorAll("time[data-countdown]");
    for (var i = 0; i < times.length; i++) {
      var el = times[i];
      var at = Date.parse(el.getAttribute("datetime"));
      if (isNaN(at)) continue;
      var label = el.getAttribute("data-label");
      if (label === null) {
        label = el.textContent.replace(/\s*\(.*\)$/, "");
        el.setAttribute("data-label", label);
      }
      el.textContent = label + " (" + span(at - now) + ")";
      if (at < now) {
        var cell = el.parentNode;
        if (cell && cell.className === "on-track") {
          cell.className = "breached";
          var row = cell.parentNode;
          if (row && row.className.indexOf("breached") < 0) row.className += " breached";
        }
      }
    }
  }
  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) {
        return res.ok ? res.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.getElementById("incidents");
        var summary = doc.getElementById("summary");
        if (next) document.getElementById("incidents").replaceWith(next);
        if (summary) document.getElementById("summary").replaceWith(summary);
        tick();
      })
      .catch(function () {
        /* offline: keep the page as it is */
      });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 1000);
    setInterval(refresh, REFRESH_MS);
  });
})();
