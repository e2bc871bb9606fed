// Creating an Akte: a click on a search hit takes its Kennzeichen over into the form field.
// Without JavaScript the Kennzeichen is simply typed into that field.
(() => {
  "use strict";

  document.addEventListener("click", (ereignis) => {
    const knopf = ereignis.target.closest("button[data-einheit-kennzeichen]");
    if (!knopf) return;
    const formular = knopf.closest("form");
    const feld = formular && formular.querySelector('input[name="aktenplaneinheit"]');
    if (!feld) return;
    feld.value = knopf.dataset.einheitKennzeichen;
    const anzeige = document.getElementById("einheit-gewaehlt");
    if (anzeige) {
      anzeige.textContent =
        `Gewählt: ${knopf.dataset.einheitKennzeichen} ${knopf.dataset.einheitTitel}`;
    }
    const betreff = formular.querySelector('input[name="betreff"]');
    (betreff && !betreff.value ? betreff : feld).focus();
  });

  // Enter in the search box searches; it must not send the half-filled form.
  document.addEventListener("keydown", (ereignis) => {
    if (ereignis.key === "Enter" && ereignis.target.matches("input[data-einheit-suche]")) {
      ereignis.preventDefault();
    }
  });
})();
