// Expand and collapse tree nodes. htmx loads a node's children on the first click;
// this script only keeps aria-expanded and the visibility of the child list in step.
document.addEventListener("click", (ereignis) => {
  const knopf = ereignis.target.closest("button[data-baum-knopf]");
  if (!knopf) return;
  const liste = document.getElementById(knopf.getAttribute("aria-controls"));
  const offen = knopf.getAttribute("aria-expanded") === "true";
  knopf.setAttribute("aria-expanded", String(!offen));
  if (liste) liste.hidden = offen;
});
