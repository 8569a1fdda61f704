// kyr serve: refresh this page when the preview changes (server-sent events from /events).
// data-scope: "" for the dashboard (any change), or "site/es/" for a page of the online edition.
(function () {
  "use strict";
  var script = document.currentScript;
  var scope = script.dataset.scope;
  var status = document.getElementById("kyr-status");
  var source = new EventSource("/events?since=" + encodeURIComponent(script.dataset.generation));
  source.onmessage = function (message) {
    var event = JSON.parse(message.data);
    if (event.state === "building" && event.changed.length === 0) {
      if (status) status.textContent = "Rebuilding…";
      return;
    }
    // The dashboard shows PDFs: a page of the site written mid-build is not news to it.
    var mine = scope === ""
      ? event.state !== "building" || event.changed.some(function (path) { return path.indexOf("site/") !== 0; })
      : event.state === "failed" || event.changed.some(function (path) { return path.indexOf(scope) === 0; });
    if (mine || (event.state === "built" && document.querySelector("[role=alert]"))) {
      source.close();
      window.location.reload();
    }
  };
})();
