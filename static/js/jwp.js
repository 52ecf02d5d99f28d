// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) { select.form.submit(); }
});
