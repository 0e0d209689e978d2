// Progressive enhancement for the symptom form (NHS exclusive checkbox
// pattern): ticking "No, I do not have any of these" unticks the other
// answers in its group, and ticking another answer unticks it. Without
// JavaScript the server explains the conflict instead.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("[data-exclusive-group] input[type=checkbox]") || !box.checked) {
    return;
  }
  var group = box.closest("[data-exclusive-group]");
  var exclusive = box.hasAttribute("data-exclusive");
  group.querySelectorAll("input[type=checkbox]").forEach(function (other) {
    if (other !== box && (exclusive || other.hasAttribute("data-exclusive"))) {
      other.checked = false;
    }
  });
});
