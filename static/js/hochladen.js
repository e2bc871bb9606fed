// Upload into a Vorgang: every chosen or dropped file goes in its own request, with its own
// progress bar and its own result, so that one refused file does not stop the others.
// Without JavaScript the form posts all files at once and the server reports each one.
(() => {
  "use strict";

  const MELDUNG_ABBRUCH = "Die Verbindung ist abgebrochen. Bitte die Datei erneut hochladen.";

  function einrichten(formular) {
    const eingabe = formular.querySelector('input[type="file"]');
    const liste = document.getElementById(formular.dataset.liste);
    const ablage = formular.querySelector("[data-ablage]");
    const zielAdresse = formular.dataset.einzeln;
    const hoechstens = Number(formular.dataset.maxBytes) || Infinity;
    const token = formular.querySelector('input[name="csrfmiddlewaretoken"]').value;
    const typ = formular.querySelector('[name="typ"]');
    let laufend = 0;
    let gespeichert = 0;

    function zeile(datei) {
      const eintrag = document.createElement("li");
      eintrag.className = "hochladen__eintrag";
      const name = document.createElement("span");
      name.className = "hochladen__name";
      name.textContent = datei.name;
      const fortschritt = document.createElement("progress");
      fortschritt.max = 100;
      fortschritt.value = 0;
      fortschritt.setAttribute("aria-label", `Fortschritt: ${datei.name}`);
      const status = document.createElement("span");
      status.className = "hochladen__status";
      status.textContent = "wird hochgeladen …";
      eintrag.append(name, fortschritt, status);
      liste.hidden = false;
      liste.append(eintrag);
      return { eintrag, fortschritt, status };
    }

    function fehler(anzeige, text) {
      anzeige.eintrag.classList.add("hochladen__eintrag--fehler");
      anzeige.fortschritt.remove();
      anzeige.status.textContent = `Nicht gespeichert: ${text}`;
    }

    function erfolg(anzeige, antwort) {
      anzeige.eintrag.classList.add("hochladen__eintrag--ok");
      anzeige.fortschritt.value = 100;
      anzeige.status.textContent = "Gespeichert als ";
      const verweis = document.createElement("a");
      verweis.href = antwort.adresse;
      verweis.textContent = `„${antwort.titel}“`;
      anzeige.status.append(verweis);
      if (antwort.hinweis) {
        const hinweis = document.createElement("span");
        hinweis.className = "hochladen__hinweis";
        hinweis.textContent = ` ${antwort.hinweis}`;
        anzeige.status.append(hinweis);
      }
    }

    function fertig() {
      laufend -= 1;
      if (laufend === 0 && gespeichert > 0 && window.htmx) {
        // Refresh the list of Dokumente below with the page as the server now renders it.
        window.htmx.ajax("GET", window.location.pathname, {
          target: "#dokumente",
          select: "#dokumente",
          swap: "outerHTML",
        });
        gespeichert = 0;
      }
    }

    function hochladen(datei) {
      const anzeige = zeile(datei);
      if (datei.size > hoechstens) {
        const mb = (hoechstens / 1048576).toFixed(1).replace(".", ",");
        fehler(anzeige, `Die Datei ist zu groß; erlaubt sind höchstens ${mb} MB.`);
        return;
      }
      laufend += 1;
      const daten = new FormData();
      daten.append("csrfmiddlewaretoken", token);
      if (typ) daten.append("typ", typ.value);
      daten.append("datei", datei, datei.name);
      const anfrage = new XMLHttpRequest();
      anfrage.open("POST", zielAdresse);
      anfrage.setRequestHeader("Accept", "application/json");
      anfrage.upload.addEventListener("progress", (ereignis) => {
        if (ereignis.lengthComputable && ereignis.total > 0) {
          anzeige.fortschritt.value = Math.round((ereignis.loaded / ereignis.total) * 100);
        }
      });
      anfrage.addEventListener("load", () => {
        let antwort = null;
        try {
          antwort = JSON.parse(anfrage.responseText);
        } catch {
          antwort = null;
        }
        if (antwort && antwort.ok) {
          gespeichert += 1;
          erfolg(anzeige, antwort);
        } else if (antwort && antwort.fehler) {
          fehler(anzeige, antwort.fehler);
        } else {
          fehler(anzeige, `Der Server hat die Datei nicht angenommen (Fehler ${anfrage.status}). ` +
            "Sind Sie noch angemeldet?");
        }
        fertig();
      });
      anfrage.addEventListener("error", () => {
        fehler(anzeige, MELDUNG_ABBRUCH);
        fertig();
      });
      anfrage.send(daten);
    }

    formular.addEventListener("submit", (ereignis) => {
      ereignis.preventDefault();
      if (!eingabe.files.length) {
        eingabe.focus();
        return;
      }
      Array.from(eingabe.files).forEach(hochladen);
      eingabe.value = "";
    });

    if (ablage) {
      ["dragenter", "dragover"].forEach((art) =>
        ablage.addEventListener(art, (ereignis) => {
          ereignis.preventDefault();
          ablage.classList.add("ablage--aktiv");
        }),
      );
      ["dragleave", "drop"].forEach((art) =>
        ablage.addEventListener(art, () => ablage.classList.remove("ablage--aktiv")),
      );
      ablage.addEventListener("drop", (ereignis) => {
        ereignis.preventDefault();
        Array.from(ereignis.dataTransfer.files).forEach(hochladen);
      });
    }
  }

  document.querySelectorAll("form[data-hochladen]").forEach(einrichten);
})();
