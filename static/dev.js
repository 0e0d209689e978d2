// Live reload for the authoring preview (healthsite -dev only: this file
// and /_dev/events do not exist otherwise). The server sends "reload" when
// the articles change; the page then fetches itself again.
(function () {
  "use strict";
  var events = new EventSource("/_dev/events");
  events.addEventListener("reload", function () {
    location.reload();
  });
})();
