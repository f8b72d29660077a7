/* Quarter switcher. A quarter's own folder lists the quarters up to its own,
   so it never changes when a later quarter is published; versions.json (read
   at run time) adds the later ones and marks the latest, so pages published
   long ago still reach the newest. Without JavaScript the "All quarters"
   link does the job. */
(function () {
  "use strict";
  var form = document.getElementById("quarter-switcher");
  if (!form) return;
  var select = form.querySelector("select");
  var siteRoot = form.getAttribute("data-site-root");
  var page = form.getAttribute("data-page");
  var current = form.getAttribute("data-quarter");

  function title(version) { return version.replace("-", " "); }

  // Where to go for a quarter this page did not know about: the same page,
  // when it exists there, else that quarter's home.
  function go(option) {
    var target = option.value;
    if (option.getAttribute("data-checked") === "no" && /^https?:$/.test(location.protocol)) {
      fetch(target, { method: "HEAD" }).then(function (response) {
        location.href = response.ok ? target : siteRoot + option.getAttribute("data-quarter") + "/index.html";
      }, function () { location.href = target; });
    } else {
      location.href = target;
    }
  }

  select.addEventListener("change", function () { go(select.options[select.selectedIndex]); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;

  fetch(siteRoot + "versions.json").then(function (response) {
    if (!response.ok) throw new Error(response.statusText);
    return response.json();
  }).then(function (versions) {
    var known = {};
    Array.prototype.forEach.call(select.options, function (option) { known[option.getAttribute("data-quarter")] = option; });
    var latest = null;
    versions.forEach(function (entry, index) {
      var isLatest = (entry.aliases || []).indexOf("latest") >= 0;
      if (isLatest) latest = entry.version;
      var option = known[entry.version];
      if (!option) {
        option = document.createElement("option");
        option.value = siteRoot + entry.version + "/" + page;
        option.setAttribute("data-quarter", entry.version);
        option.setAttribute("data-checked", "no");
        option.textContent = entry.title || title(entry.version);
      }
      option.textContent = (entry.title || title(entry.version)) + (isLatest ? " (latest)" : "");
      option.selected = entry.version === current;
      select.insertBefore(option, select.options[index] || null);  // versions.json order: newest first
    });
    var published = document.getElementById("old-quarter-banner");
    if (latest && latest !== current && !published) {
      var banner = document.createElement("p");
      banner.className = "old-quarter";
      banner.id = "old-quarter-banner";
      var link = document.createElement("a");
      link.href = siteRoot + "index.html";
      link.textContent = "go to the latest quarter";
      banner.appendChild(document.createTextNode("You are viewing " + title(current) + " — "));
      banner.appendChild(link);
      var main = document.getElementById("main");
      main.insertBefore(banner, main.firstChild);
    }
  }).catch(function () { /* opened from disk: the built-in list stands */ });
}());
