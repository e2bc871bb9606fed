// Akteneinsicht: draw a box on a page picture with the mouse (or a finger); the box is written
// into the form's percent fields (the keyboard way) and the form is sent.
(function () {
  "use strict";
  var formular = document.getElementById("kasten-formular");
  if (!formular) return;
  function feld(name) { return formular.querySelector('[name="' + name + '"]'); }
  function prozent(wert) { return Math.max(0, Math.min(100, Math.round(wert * 1000) / 10)); }
  document.querySelectorAll(".schwaerzen-bild").forEach(function (bild) {
    var start = null;
    function punkt(ereignis) {
      var rahmen = bild.getBoundingClientRect();
      return { x: (ereignis.clientX - rahmen.left) / rahmen.width, y: (ereignis.clientY - rahmen.top) / rahmen.height };
    }
    bild.addEventListener("pointerdown", function (ereignis) {
      ereignis.preventDefault();
      start = punkt(ereignis);
    });
    bild.addEventListener("pointerup", function (ereignis) {
      if (!start) return;
      var ende = punkt(ereignis);
      var links = Math.min(start.x, ende.x), rechts = Math.max(start.x, ende.x);
      var oben = Math.min(start.y, ende.y), unten = Math.max(start.y, ende.y);
      start = null;
      if (rechts - links < 0.005 || unten - oben < 0.005) return;
      feld("seite").value = bild.dataset.seite;
      feld("links").value = prozent(links);
      feld("oben").value = prozent(oben);
      feld("rechts").value = prozent(rechts);
      feld("unten").value = prozent(unten);
      formular.submit();
    });
  });
})();
