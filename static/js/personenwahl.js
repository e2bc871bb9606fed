// The person picker (eakte/kommunen/personenwahl.py): an ARIA 1.2 combobox with a list box.
// Typing asks the server (data-personenwahl URL) for matching people; ArrowDown/ArrowUp move
// through the list, Enter takes the marked person, Escape closes. Without JavaScript the typed
// name is resolved on the server.
(() => {
  "use strict";

  const VERZOEGERUNG = 200;

  function einrichten(feld) {
    const liste = document.getElementById(feld.getAttribute("aria-controls"));
    const status = document.getElementById(feld.id + "_status");
    let treffer = [];
    let aktiv = -1;
    let zeitgeber = null;
    let anfrage = 0;

    function schliessen() {
      liste.hidden = true;
      feld.setAttribute("aria-expanded", "false");
      feld.removeAttribute("aria-activedescendant");
      aktiv = -1;
    }

    function markieren(index) {
      const optionen = liste.querySelectorAll("[role=option]");
      optionen.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      aktiv = index;
      if (index >= 0 && optionen[index]) {
        feld.setAttribute("aria-activedescendant", optionen[index].id);
        optionen[index].scrollIntoView({ block: "nearest" });
      } else {
        feld.removeAttribute("aria-activedescendant");
      }
    }

    function waehlen(index) {
      const person = treffer[index];
      if (!person) return;
      feld.value = person.anzeige;
      if (status) status.textContent = `Gewählt: ${person.anzeige}, ${person.beschreibung}`;
      schliessen();
      feld.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function zeigen(personen) {
      // A late answer (the user paused while typing) must not drop the person already marked
      // with the arrow keys: otherwise Enter would send the half-typed text instead.
      const markiert = aktiv >= 0 ? treffer[aktiv]?.anzeige : null;
      treffer = personen;
      liste.replaceChildren();
      personen.forEach((person, i) => {
        const option = document.createElement("li");
        option.id = `${liste.id}_${i}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.className = "personenwahl__name";
        name.textContent = person.anzeige;
        const mehr = document.createElement("span");
        mehr.className = "personenwahl__mehr";
        mehr.textContent = person.beschreibung;
        option.append(name, mehr);
        option.addEventListener("mousedown", (ereignis) => ereignis.preventDefault());
        option.addEventListener("click", () => waehlen(i));
        liste.append(option);
      });
      const offen = personen.length > 0;
      liste.hidden = !offen;
      feld.setAttribute("aria-expanded", String(offen));
      aktiv = -1;
      const wieder = personen.findIndex((person) => person.anzeige === markiert);
      if (wieder >= 0) markieren(wieder);
      if (status) {
        status.textContent =
          personen.length === 0
            ? "Keine Person gefunden."
            : personen.length === 1
              ? "1 Person gefunden, mit Pfeiltasten wählen."
              : `${personen.length} Personen gefunden, mit Pfeiltasten wählen.`;
      }
    }

    async function suchen() {
      const text = feld.value.trim();
      if (text.length < 2) {
        treffer = [];
        schliessen();
        return;
      }
      const nummer = ++anfrage;
      const url = new URL(feld.dataset.personenwahl, window.location.href);
      url.searchParams.set("q", text);
      try {
        const antwort = await fetch(url, { headers: { Accept: "application/json" } });
        if (!antwort.ok || nummer !== anfrage) return;
        zeigen((await antwort.json()).personen);
      } catch (fehler) {
        schliessen();
      }
    }

    feld.addEventListener("input", () => {
      clearTimeout(zeitgeber);
      zeitgeber = setTimeout(suchen, VERZOEGERUNG);
    });
    feld.addEventListener("keydown", (ereignis) => {
      const offen = !liste.hidden;
      if (ereignis.key === "ArrowDown") {
        ereignis.preventDefault();
        if (!offen && treffer.length) {
          liste.hidden = false;
          feld.setAttribute("aria-expanded", "true");
        }
        markieren(Math.min(aktiv + 1, treffer.length - 1));
      } else if (ereignis.key === "ArrowUp") {
        ereignis.preventDefault();
        markieren(Math.max(aktiv - 1, 0));
      } else if (ereignis.key === "Enter" && offen && aktiv >= 0) {
        ereignis.preventDefault();
        waehlen(aktiv);
      } else if (ereignis.key === "Escape" && offen) {
        ereignis.preventDefault();
        schliessen();
      }
    });
    feld.addEventListener("blur", schliessen);
  }

  function alle() {
    document.querySelectorAll("input[data-personenwahl]").forEach((feld) => {
      if (feld.dataset.personenwahlBereit) return;
      feld.dataset.personenwahlBereit = "1";
      einrichten(feld);
    });
  }

  document.addEventListener("DOMContentLoaded", alle);
  document.addEventListener("htmx:afterSettle", alle);
})();
