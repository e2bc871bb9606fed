// Narrow screens: the header shows the brand and a "Menü" button that folds out navigation,
// search and account (without JavaScript everything stays visible). Tables become cards: each
// cell gets the name of its column (data-spalte), which the stylesheet shows in front of it.
(() => {
  "use strict";

  function menue() {
    const knopf = document.querySelector(".kopf__menueknopf");
    if (!knopf) return;
    knopf.hidden = false;
    knopf.addEventListener("click", () => {
      const offen = knopf.getAttribute("aria-expanded") === "true";
      knopf.setAttribute("aria-expanded", String(!offen));
    });
    document.addEventListener("keydown", (ereignis) => {
      if (ereignis.key === "Escape" && knopf.getAttribute("aria-expanded") === "true") {
        knopf.setAttribute("aria-expanded", "false");
        knopf.focus();
      }
    });
  }

  function tabellen(wurzel) {
    wurzel.querySelectorAll("table.tabelle").forEach((tabelle) => {
      const koepfe = [...tabelle.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      if (!koepfe.length) return;
      tabelle.querySelectorAll("tbody tr").forEach((zeile) => {
        [...zeile.children].forEach((zelle, i) => {
          if (koepfe[i] && !zelle.hasAttribute("colspan")) zelle.dataset.spalte = koepfe[i];
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    menue();
    tabellen(document);
  });
  document.addEventListener("htmx:afterSettle", (ereignis) => tabellen(ereignis.target));
})();
