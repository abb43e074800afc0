// The new-campaign form: only the chosen kind's fields are shown, and a first-come campaign can
// have more rounds than the rows the page starts with. Without script every field shows, each
// marked with the kinds it is for, and the server ignores the ones the kind does not have.
"use strict";
(() => {
  const kind = document.getElementById("kind");
  if (!kind) return;
  const show = () => {
    document.querySelectorAll(".kind-field[data-kinds]").forEach((field) => {
      const kinds = field.dataset.kinds.split(" ").filter(Boolean);
      field.hidden = kinds.length > 0 && !kinds.includes(kind.value);
    });
  };
  kind.addEventListener("change", show);
  show();
  const add = document.getElementById("add-round");
  if (!add) return;
  add.hidden = false;
  add.addEventListener("click", () => {
    const rows = document.querySelectorAll(".round-row");
    const last = rows[rows.length - 1];
    const next = rows.length + 1;
    if (next > Number(add.dataset.max)) return;
    const row = last.cloneNode(true);
    row.dataset.round = String(next);
    row.querySelectorAll("input").forEach((input) => {
      input.name = input.name.replace(/_\d+$/, "_" + next);
      input.value = "";
    });
    const first = row.querySelector("label");
    if (first && first.firstChild) {
      first.firstChild.textContent = add.dataset.label.replace("{n}", String(next)) + " ";
    }
    last.after(row);
    row.querySelector("input").focus();
    if (next >= Number(add.dataset.max)) add.hidden = true;
  });
})();
