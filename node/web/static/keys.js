// The console's new-key panel: the copy button puts the key on the clipboard and says so.
"use strict";
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    if (!field) return;
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (e) {
      field.select();  // no clipboard permission: the key is selected for Ctrl+C / long press
      document.execCommand("copy");
    }
    button.textContent = button.dataset.copied;
  });
});
