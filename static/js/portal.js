/* Netrex portal: small progressive enhancements, no inline script (the CSP allows only this file).
   Without JavaScript every page works: the menu is simply always open and tables keep their labels
   in the header row. */
(function () {
  "use strict";
  var root = document.documentElement;

  // The menu button on phones: the main menu folds away behind it.
  var toggle = document.getElementById("menu-toggle");
  var nav = document.getElementById("main-nav");
  if (toggle && nav) {
    root.classList.add("has-menu-toggle");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        nav.classList.remove("open");
        toggle.focus();
      }
    });
  }

  // Tables become stacked cards on narrow screens: each cell is labelled with its column's heading.
  document.querySelectorAll("main table").forEach(function (table) {
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headings.length) { return; }
    table.classList.add("table-cards");
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (!cell.hasAttribute("data-label") && headings[index]) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
    });
  });

  // A form's error summary takes the focus, so that screen readers and keyboards start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (field) {
          event.preventDefault();
          field.focus();
          field.scrollIntoView({ block: "center" });
        }
      });
    });
  }

  // A page that waits for something (an export being made) asks again every few seconds and
  // announces the change through its aria-live region instead of reloading itself.
  document.querySelectorAll("[data-poll-url]").forEach(function (region) {
    var url = region.getAttribute("data-poll-url");
    var delay = parseInt(region.getAttribute("data-poll-seconds") || "5", 10) * 1000;
    var tries = 0;
    function poll() {
      tries += 1;
      fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("[data-poll-url]");
          var replacement = fresh || doc.getElementById(region.id);
          if (replacement) {
            region.innerHTML = replacement.innerHTML;
          }
          if (fresh && tries < 120) { window.setTimeout(poll, delay); }
        })
        .catch(function () { if (tries < 120) { window.setTimeout(poll, delay * 2); } });
    }
    window.setTimeout(poll, delay);
  });
})();
