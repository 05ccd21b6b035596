// Small behaviours of the shell; every page works without them.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
// A formset's "add" button: a copy of its empty form, numbered, before the button.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-add-form]") : null;
  if (!button) return;
  const prefix = button.dataset.addForm;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const html = document.getElementById(`${prefix}-template`).innerHTML.replaceAll("__prefix__", total.value);
  button.insertAdjacentHTML("beforebegin", html);
  total.value = Number(total.value) + 1;
});
// A read-only field to copy (a new API token) is selected whole when it gets the focus.
document.addEventListener("focusin", (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.hasAttribute("data-select-on-focus")) {
    target.select();
  }
});
// The language menu leaves the page: when a form of the page (one that posts) has input not
// sent yet, ask first (the menu's data-unsaved holds the question in the reader's language).
document.addEventListener("input", (event) => {
  const form = event.target instanceof Element ? event.target.closest("form") : null;
  if (form && !form.hasAttribute("data-language-switch") && form.method === "post") {
    form.dataset.dirty = "1";
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (!form.hasAttribute("data-language-switch")) {
    delete form.dataset.dirty;
  } else if (document.querySelector("form[data-dirty]") && !window.confirm(form.dataset.unsaved)) {
    event.preventDefault();
  }
});
