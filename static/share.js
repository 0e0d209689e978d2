// "Copy link" buttons, as progressive enhancement: beside every section's
// "#" link, and in the "Share this page" block. Without JavaScript the "#"
// links still work as plain links. The copied address is absolute, built
// from the page's canonical link, so it is the public address of the site.
(function () {
  "use strict";
  var canonical = document.querySelector('link[rel="canonical"]');
  var base = (canonical ? canonical.href : location.href).split("#")[0];

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  document.querySelectorAll(".self-link").forEach(function (link) {
    var id = link.getAttribute("href").slice(1);
    var heading = document.getElementById(id);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.setAttribute("data-copy-url", base + "#" + id);
    button.textContent = "Copy link";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " to this section: " + (heading ? heading.textContent : id);
    button.appendChild(hidden);
    link.insertAdjacentElement("afterend", button);
  });
  document.querySelectorAll(".share-copy[hidden]").forEach(function (item) {
    item.hidden = false;
  });

  function copied(button, url) {
    button.setAttribute("data-copied", url);
    status.textContent = "Link copied";
  }

  // Where the clipboard cannot be used, show the address selected, ready
  // for the reader to copy.
  function fallback(button, url) {
    var input = button.parentNode.querySelector("input.copy-fallback");
    if (!input) {
      input = document.createElement("input");
      input.className = "copy-fallback";
      input.readOnly = true;
      input.setAttribute("aria-label", "Link to copy");
      button.insertAdjacentElement("afterend", input);
    }
    input.value = url;
    input.focus();
    input.select();
    status.textContent = "Select the link and copy it";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-url]");
    if (!button) {
      return;
    }
    var url = button.getAttribute("data-copy-url");
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () {
        copied(button, url);
      }, function () {
        fallback(button, url);
      });
    } else {
      fallback(button, url);
    }
  });
})();
