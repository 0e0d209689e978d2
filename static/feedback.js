// Sends the "Is this page helpful?" form in place: the same POST the form
// makes without JavaScript, following the server's redirect to the page,
// whose feedback block then replaces this one. Without JavaScript, or if
// anything goes wrong, the form is sent the ordinary way.
(function () {
  "use strict";
  function sendPlainly(form, submitter) {
    if (submitter && submitter.name) {
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = submitter.name;
      field.value = submitter.value;
      form.appendChild(field);
    }
    form.submit();
  }
  function enhance(block) {
    block.addEventListener("submit", function (event) {
      var form = event.target;
      if (!window.fetch || !window.DOMParser || !window.URLSearchParams) return;
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      if (event.submitter && event.submitter.name) body.set(event.submitter.name, event.submitter.value);
      fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" }
      }).then(function (response) {
        if (!response.ok && response.status !== 422) throw new Error(String(response.status));
        return response.text();
      }).then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html").querySelector("[data-feedback]");
        if (!next) throw new Error("no feedback block");
        next = document.importNode(next, true);
        block.replaceWith(next);
        enhance(next);
        next.focus();
      }).catch(function () {
        sendPlainly(form, event.submitter);
      });
    });
  }
  var blocks = document.querySelectorAll("[data-feedback]");
  for (var i = 0; i < blocks.length; i++) enhance(blocks[i]);
})();
