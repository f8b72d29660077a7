/* bscgen serve: reload the page when the site has been rebuilt.
   Only the development server adds this script; built sites never contain it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var events = new EventSource("/__bscgen/events?since=" + encodeURIComponent(version));
  events.onmessage = function (event) {
    if (event.data === "reload") {
      events.close();
      location.reload();
    }
  };
}());
