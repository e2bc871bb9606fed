// The document viewer on the Dokument page: shows the searchable PDF/A rendition with PDF.js
// (vendored under static/vendor/pdfjs/), page thumbnails, jump to page, zoom and, when the page
// was opened from a search result (?q=…), the hits highlighted and the first hit's page shown.
// Keyboard: the page area takes focus; Bild auf/ab or ←/→ turn pages, Pos1/Ende go to the first/
// last page, + and − zoom. No inline script or style: everything comes from data attributes.

const ZOOMSTUFEN = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const STOPPWOERTER = new Set(["und", "oder", "nicht", "or", "and", "not"]);
// The search stems German words ("Bescheide" finds "Bescheid"): a word's common endings are
// left out when looking for it, and a mark runs on to the end of the word in the text.
const ENDUNGEN = /(en|er|es|em|e|n|s)$/u;
const BUCHSTABE = /[\p{L}\p{N}]/u;

function stamm(wort) {
  return wort.length > 5 ? wort.replace(ENDUNGEN, "") : wort;
}

function suchwoerter(anfrage) {
  // The words of the search as the search box takes them: excluded words ("-wort") are not hits.
  const woerter = [];
  for (const teil of (anfrage || "").split(/\s+/)) {
    if (!teil || teil.startsWith("-")) continue;
    for (const wort of teil.toLocaleLowerCase("de").match(/[\p{L}\p{N}]+/gu) || []) {
      if (wort.length >= 2 && !STOPPWOERTER.has(wort)) woerter.push(stamm(wort));
    }
  }
  return [...new Set(woerter)];
}

function trefferIn(text, woerter) {
  // [start, ende] ranges of the words in `text`, case-insensitively, merged.
  const klein = text.toLocaleLowerCase("de");
  const bereiche = [];
  for (const wort of woerter) {
    let ab = klein.indexOf(wort);
    while (ab !== -1) {
      let bis = ab + wort.length;
      while (bis < text.length && BUCHSTABE.test(text[bis])) bis += 1;
      bereiche.push([ab, bis]);
      ab = klein.indexOf(wort, bis);
    }
  }
  bereiche.sort((a, b) => a[0] - b[0]);
  const zusammen = [];
  for (const b of bereiche) {
    const letzter = zusammen[zusammen.length - 1];
    if (letzter && b[0] <= letzter[1]) letzter[1] = Math.max(letzter[1], b[1]);
    else zusammen.push([...b]);
  }
  return zusammen;
}

function markieren(span, bereiche) {
  const text = span.textContent;
  span.textContent = "";
  let pos = 0;
  for (const [ab, bis] of bereiche) {
    if (ab > pos) span.append(text.slice(pos, ab));
    const mark = document.createElement("mark");
    mark.className = "betrachter__treffer";
    mark.textContent = text.slice(ab, bis);
    span.append(mark);
    pos = bis;
  }
  if (pos < text.length) span.append(text.slice(pos));
}

async function starten(wurzel) {
  const meldung = wurzel.querySelector("[data-meldung]");
  const sagen = (text) => {
    meldung.textContent = text;
  };
  let pdfjs;
  try {
    pdfjs = await import(wurzel.dataset.bibliothek);
  } catch (fehler) {
    sagen("Die Ansicht konnte nicht geladen werden. Bitte laden Sie die Datei herunter.");
    return;
  }
  pdfjs.GlobalWorkerOptions.workerSrc = wurzel.dataset.worker;

  const flaeche = wurzel.querySelector("[data-seite]");
  const leinwand = flaeche.querySelector("canvas");
  let textebene = flaeche.querySelector(".textLayer");
  const seitenfeld = wurzel.querySelector("[data-seitenfeld]");
  const seitenzahl = wurzel.querySelector("[data-seitenzahl]");
  const zoomanzeige = wurzel.querySelector("[data-zoom]");
  const miniaturen = wurzel.querySelector("[data-miniaturen]");
  const trefferknopf = wurzel.querySelector('[data-aktion="treffer"]');
  const woerter = suchwoerter(wurzel.dataset.suche);

  let dokument;
  try {
    dokument = await pdfjs.getDocument({
      url: wurzel.dataset.pdf,
      withCredentials: true,
      isEvalSupported: false,
      disableRange: true,
      disableAutoFetch: true,
    }).promise;
  } catch (fehler) {
    sagen("Die Datei konnte nicht angezeigt werden. Bitte laden Sie sie herunter.");
    return;
  }
  const anzahl = dokument.numPages;
  seitenfeld.max = String(anzahl);
  seitenzahl.textContent = String(anzahl);
  wurzel.querySelectorAll("[data-aktion]").forEach((knopf) => {
    knopf.disabled = false;
  });
  seitenfeld.disabled = false;

  let aktuelle = 1;
  let lauf = 0; // the newest request to show a page; older ones stop at their next step
  let zoom = 2; // index into ZOOMSTUFEN: 100 %
  let auftrag = null;
  let trefferseiten = [];

  async function zeigen(nummer) {
    nummer = Math.min(Math.max(1, nummer), anzahl);
    aktuelle = nummer;
    const dieser = ++lauf;
    seitenfeld.value = String(nummer);
    flaeche.setAttribute("aria-label", `Seite ${nummer} von ${anzahl}`);
    miniaturen.querySelectorAll("button").forEach((knopf, i) => {
      if (i + 1 === nummer) knopf.setAttribute("aria-current", "page");
      else knopf.removeAttribute("aria-current");
    });
    const seite = await dokument.getPage(nummer);
    if (dieser !== lauf) return; // a newer request came meanwhile
    const massstab = ZOOMSTUFEN[zoom] * 1.5;
    const ansicht = seite.getViewport({ scale: massstab });
    const dichte = window.devicePixelRatio || 1;
    if (auftrag) auftrag.cancel();
    leinwand.width = Math.floor(ansicht.width * dichte);
    leinwand.height = Math.floor(ansicht.height * dichte);
    leinwand.style.width = `${Math.floor(ansicht.width)}px`;
    leinwand.style.height = `${Math.floor(ansicht.height)}px`;
    flaeche.style.setProperty("--scale-factor", String(massstab));
    auftrag = seite.render({
      canvasContext: leinwand.getContext("2d"),
      viewport: ansicht,
      transform: dichte !== 1 ? [dichte, 0, 0, dichte, 0, 0] : null,
    });
    try {
      await auftrag.promise;
    } catch (fehler) {
      return; // cancelled by a newer page or zoom
    }
    if (dieser !== lauf) return;
    // a fresh layer per rendering, swapped in when complete (an older one never mixes in)
    const neueEbene = document.createElement("div");
    neueEbene.className = "textLayer";
    const ebene = new pdfjs.TextLayer({
      textContentSource: seite.streamTextContent(),
      container: neueEbene,
      viewport: ansicht,
    });
    await ebene.render();
    if (dieser !== lauf) return;
    if (woerter.length) {
      for (const span of ebene.textDivs) {
        const bereiche = trefferIn(span.textContent, woerter);
        if (bereiche.length) markieren(span, bereiche);
      }
    }
    textebene.replaceWith(neueEbene);
    textebene = neueEbene;
    wurzel.dataset.angezeigt = String(nummer);
  }

  async function miniaturenZeichnen() {
    for (let nummer = 1; nummer <= anzahl; nummer += 1) {
      const eintrag = document.createElement("li");
      const knopf = document.createElement("button");
      knopf.type = "button";
      knopf.className = "betrachter__miniatur";
      knopf.setAttribute("aria-label", `Seite ${nummer}`);
      if (nummer === aktuelle) knopf.setAttribute("aria-current", "page");
      const bild = document.createElement("canvas");
      bild.setAttribute("aria-hidden", "true");
      const zahl = document.createElement("span");
      zahl.textContent = String(nummer);
      zahl.setAttribute("aria-hidden", "true");
      knopf.append(bild, zahl);
      knopf.addEventListener("click", () => zeigen(nummer));
      eintrag.append(knopf);
      miniaturen.append(eintrag);
    }
    const bilder = miniaturen.querySelectorAll("canvas");
    for (let nummer = 1; nummer <= anzahl; nummer += 1) {
      const seite = await dokument.getPage(nummer);
      const ansicht = seite.getViewport({ scale: 120 / seite.getViewport({ scale: 1 }).width });
      const bild = bilder[nummer - 1];
      bild.width = Math.floor(ansicht.width);
      bild.height = Math.floor(ansicht.height);
      await seite.render({ canvasContext: bild.getContext("2d"), viewport: ansicht }).promise;
    }
  }

  async function trefferSuchen() {
    // Which pages hold a word of the search: from the text PDF.js reads, page by page.
    const seiten = [];
    for (let nummer = 1; nummer <= anzahl; nummer += 1) {
      const seite = await dokument.getPage(nummer);
      const inhalt = await seite.getTextContent();
      const text = inhalt.items.map((teil) => teil.str || "").join(" ");
      if (trefferIn(text, woerter).length) seiten.push(nummer);
    }
    return seiten;
  }

  seitenfeld.addEventListener("change", () => zeigen(parseInt(seitenfeld.value, 10) || 1));
  const aktionen = {
    zurueck: () => zeigen(aktuelle - 1),
    weiter: () => zeigen(aktuelle + 1),
    kleiner: () => {
      zoom = Math.max(0, zoom - 1);
      zoomanzeige.textContent = `${Math.round(ZOOMSTUFEN[zoom] * 100)} %`;
      return zeigen(aktuelle);
    },
    groesser: () => {
      zoom = Math.min(ZOOMSTUFEN.length - 1, zoom + 1);
      zoomanzeige.textContent = `${Math.round(ZOOMSTUFEN[zoom] * 100)} %`;
      return zeigen(aktuelle);
    },
    treffer: () => {
      const naechste = trefferseiten.find((n) => n > aktuelle) || trefferseiten[0];
      if (naechste) return zeigen(naechste);
      return null;
    },
  };
  wurzel.querySelectorAll("[data-aktion]").forEach((knopf) => {
    knopf.addEventListener("click", () => aktionen[knopf.dataset.aktion]());
  });
  flaeche.addEventListener("keydown", (ereignis) => {
    const taste = {
      PageDown: "weiter",
      ArrowRight: "weiter",
      PageUp: "zurueck",
      ArrowLeft: "zurueck",
      "+": "groesser",
      "-": "kleiner",
    }[ereignis.key];
    if (taste) {
      ereignis.preventDefault();
      aktionen[taste]();
    } else if (ereignis.key === "Home" || ereignis.key === "End") {
      ereignis.preventDefault();
      zeigen(ereignis.key === "Home" ? 1 : anzahl);
    }
  });

  const gewuenscht = parseInt(wurzel.dataset.seitennummer, 10);
  if (woerter.length) {
    trefferseiten = await trefferSuchen();
    const liste = trefferseiten.join(", ");
    const gesucht = `„${wurzel.dataset.suche}“`;
    if (trefferseiten.length) {
      sagen(
        `Treffer für ${gesucht} auf Seite ${liste}. Angezeigt wird Seite ${gewuenscht || trefferseiten[0]}.`,
      );
      trefferknopf.hidden = trefferseiten.length < 2;
    } else {
      sagen(`${gesucht} steht nicht wörtlich im Text dieser Datei.`);
    }
    await zeigen(gewuenscht || trefferseiten[0] || 1);
  } else {
    await zeigen(gewuenscht || 1);
  }
  await miniaturenZeichnen();
}

document.querySelectorAll("[data-betrachter]").forEach((wurzel) => {
  starten(wurzel);
});
