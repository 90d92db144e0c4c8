"""What the widget front end leaves out for screen readers and keyboards, added in the page.

ipywidgets draws standard controls, but in every front end (JupyterLab 4, Notebook 7,
Voila) a few things are missing. :data:`ACCESSIBILITY_JS` adds them, once per page, to
every widget on it, and keeps them up to date as widgets appear and values change:

- a slider's handle is named after its label, and announces its value in the units shown
  (``aria-valuetext`` = the readout, e.g. "85%", not "0.85"), with ``aria-valuenow`` the
  current value, both updated on every move;
- a slider's number box (the readout that can be typed into) is no extra Tab stop: the
  handle is the slider's one stop, moved with the arrow keys; the box keeps a name for a
  mouse user's screen reader;
- controls in a row marked ``rebalance-numbered-row`` carry the row's name in theirs
  ("Class, Fund 2", "Remove, Fund 2"), so repeated labels say which row they belong to;
- a quiz's choices are a ``radiogroup`` named by its question, and so are the answers of
  any other set of radio buttons (the risk questionnaire's), named by their label; each
  set is one Tab stop (its buttons share a ``name``; the arrow keys choose within it), and
  each button sits left of its answer;
- each chart's menu (its "..." button, an icon only) is named "Chart menu: save the chart";
- a clear focus ring (3 px, dark blue) on every control, drawn inside a text box or
  menu (where a box's edge would clip it) and around a button or a slider's handle;
- the arrow keys move a focused slider in Notebook 7 too: the handle is marked
  ``data-lm-suppress-shortcuts``, so the notebook's own arrow-key shortcuts (move to the
  next cell) leave it alone.

It runs from :class:`~rebalance_widgets.widgets.parts.views.LiveText`, the sentence under
every chart and every quiz's answer, so any lesson widget brings it to the page.
"""

from __future__ import annotations

__all__ = ["ACCESSIBILITY_JS", "NUMBERED_ROW"]

#: Class of a row whose controls should say which row they belong to.
NUMBERED_ROW = "rebalance-numbered-row"

ACCESSIBILITY_JS = r"""
const FOCUS_CSS = `
.jupyter-widgets input:focus-visible, .jupyter-widgets select:focus-visible,
.jupyter-widgets textarea:focus-visible, .jupyter-widgets [contenteditable="true"]:focus {
  outline: 3px solid #0B3D6B !important; outline-offset: -3px !important;
}
.jupyter-widgets input[type="radio"]:focus-visible,
.jupyter-widgets input[type="checkbox"]:focus-visible,
.jupyter-widgets button:focus-visible, .jupyter-widgets .noUi-handle:focus-visible,
.jupyter-widgets .noUi-handle:focus, .vega-embed summary:focus-visible,
.rebalance-download:focus-visible {
  outline: 3px solid #0B3D6B !important; outline-offset: 2px !important;
  box-shadow: 0 0 0 5px #ffffff !important;
}
/* Room for the ring of a radio button or tick box at the left edge of its box. */
.jupyter-widgets .widget-radio-box { padding-left: 6px; }
.jupyter-widgets.widget-checkbox { padding-left: 6px; }
/* A long answer wraps onto a second line (on a phone) instead of running over the next. */
.jupyter-widgets.widget-radio-box label, .jupyter-widgets .widget-radio-box label {
  height: auto; min-height: var(--jp-widgets-radio-item-height); line-height: 1.35;
  white-space: normal; display: flex; align-items: flex-start; gap: 4px; padding: 3px 0;
}
.jupyter-widgets .widget-radio-box label > input[type="radio"] { order: -1; }`;

function labelOf(container) {
  const label = container.querySelector(":scope > .widget-label, .widget-label");
  return label ? (label.innerText || label.textContent || label.title || "").trim() : "";
}

function nameSlider(slider) {
  const target = slider.querySelector(".noUi-target");
  const handle = slider.querySelector(".noUi-handle");
  if (!target || !handle || target.dataset.rebalanceA11y === "1") return;
  target.dataset.rebalanceA11y = "1";
  const name = labelOf(slider) || "Slider";
  const readout = slider.querySelector(".widget-readout");
  handle.setAttribute("aria-label", name);
  handle.setAttribute("data-lm-suppress-shortcuts", "true");
  if (readout) {
    readout.tabIndex = -1;
    readout.setAttribute("role", "textbox");
    readout.setAttribute("aria-label", name + ", value to type");
  }
  const sync = () => {
    const api = target.noUiSlider;
    const raw = api ? api.get() : handle.getAttribute("aria-valuenow");
    const number = Number(Array.isArray(raw) ? raw[0] : raw);
    const shown = readout && readout.style.display !== "none" ? readout.textContent.trim() : "";
    const text = shown || (Number.isFinite(number) ? String(number) : "");
    if (Number.isFinite(number) && handle.getAttribute("aria-valuenow") !== String(number)) {
      handle.setAttribute("aria-valuenow", String(number));
    }
    if (text && handle.getAttribute("aria-valuetext") !== text) {
      handle.setAttribute("aria-valuetext", text);
    }
  };
  const later = () => setTimeout(sync, 0);  // after the slider and its readout have moved
  if (target.noUiSlider) target.noUiSlider.on("update.rebalance", later);
  if (readout) {
    new MutationObserver(later).observe(readout, {childList: true, characterData: true,
                                                  subtree: true});
  }
  new MutationObserver(later).observe(handle, {attributes: true,
                                               attributeFilter: ["aria-valuetext"]});
  sync();
}

function nameRow(row) {
  const first = row.querySelector(".widget-label");
  const rowName = first ? (first.innerText || first.textContent || "").trim() : "";
  if (!rowName) return;
  row.querySelectorAll(".widget-inline-hbox").forEach((control, index) => {
    if (index === 0) return;
    const field = control.querySelector("input, select, textarea");
    const label = labelOf(control);
    if (field && label) field.setAttribute("aria-label", label + ", " + rowName);
  });
  row.querySelectorAll("button").forEach((button) => {
    const text = (button.innerText || button.textContent || "").trim();
    if (text) button.setAttribute("aria-label", text + ", " + rowName);
  });
}

function groupQuiz(quiz) {
  const group = quiz.querySelector(".widget-radio-box");
  const question = quiz.querySelector(".widget-html");
  if (!group || !question) return;
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", (question.innerText || question.textContent || "").trim());
}

function groupRadios(radios) {
  const group = radios.querySelector(".widget-radio-box");
  const label = radios.querySelector(".widget-label");
  const text = label ? (label.innerText || label.textContent || "").trim() : "";
  if (!group || !text || group.hasAttribute("role")) return;
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", text);
}

let radioSets = 0;

function oneTabStop(box) {
  if (!box.dataset.rebalanceRadios) box.dataset.rebalanceRadios = `rebalance-radios-${++radioSets}`;
  box.querySelectorAll('input[type="radio"]').forEach((radio) => {
    if (radio.name !== box.dataset.rebalanceRadios) radio.name = box.dataset.rebalanceRadios;
  });
}

function enhance(root) {
  root.querySelectorAll(".widget-slider").forEach(nameSlider);
  root.querySelectorAll(".__ROW__").forEach(nameRow);
  root.querySelectorAll(".rebalance-quiz").forEach(groupQuiz);
  root.querySelectorAll(".widget-radio").forEach(groupRadios);
  root.querySelectorAll(".widget-radio-box").forEach(oneTabStop);
  root.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(
    (summary) => summary.setAttribute("aria-label", "Chart menu: save the chart"));
}

function installAccessibility() {
  if (globalThis.__rebalanceAccessibility) return;
  globalThis.__rebalanceAccessibility = true;
  const style = document.createElement("style");
  style.id = "rebalance-accessibility";
  style.textContent = FOCUS_CSS;
  document.head.appendChild(style);
  let queued = false;
  const run = () => { queued = false; enhance(document); };
  new MutationObserver(() => {
    if (!queued) { queued = true; requestAnimationFrame(run); }
  }).observe(document.body, {childList: true, subtree: true});
  run();
}
""".replace("__ROW__", NUMBERED_ROW)
