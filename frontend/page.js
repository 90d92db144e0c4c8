// A lesson page's front end. Voila's server has run the lesson in a kernel and sent the page
// with its text and, where a cell shows something, the output as JSON in a
// `<script type="application/vnd.voila.cell-output+json">`. This connects to that kernel,
// asks it for every widget's state at once and draws each output in its place. It replaces
// Voila's JupyterLab application on lesson pages: a lesson needs widgets, not an IDE shell.
import {
  CommsOverSubshells, KernelAPI, KernelConnection, ServerConnection,
} from '@jupyterlab/services';
import '@jupyter-widgets/controls/css/widgets-base.css';
import './page.css';
import { LessonManager } from './manager.js';
import { WIDGET_VIEW, drawOutput } from './outputs.js';

const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const CHECK_EVERY_MS = 20_000;
const LOST = 'This lesson has lost its connection to the server. Reload the page to start it again.';
const BLANK = 'This lesson\'s server restarted its part of the lesson, so its controls are gone. '
  + 'Reload the page to start it again.';

function pageConfig() {
  const node = document.getElementById('jupyter-config-data');
  return node ? JSON.parse(node.textContent) : {};
}

/** Show `text` above the lesson, or (with `undo`) take it away if it is what shows. */
function say(text, undo = false) {
  let note = document.getElementById('rebalance-page-status');
  if (undo) {
    if (note?.textContent === text) note.remove();
    return;
  }
  if (!note) {
    note = document.createElement('p');
    note.id = 'rebalance-page-status';
    note.setAttribute('role', 'alert');
    document.body.prepend(note);
  }
  note.textContent = text;
}

/**
 * Say so on the page when the lesson's kernel is gone: stopped by the server (an idle kernel
 * culled on a public site, a restart) or out of reach. The server keeps the websocket of a
 * stopped kernel open, so the page asks for the kernel every 20 s while it is on screen,
 * and at once when it comes back on screen (a phone woken up).
 */
function watchKernel(kernel, serverSettings) {
  const check = async () => {
    if (document.hidden || kernel.isDisposed) return;
    const model = await KernelAPI.getKernelModel(kernel.id, serverSettings).catch(() => null);
    if (model === undefined) { // the server has no such kernel any more
      clearInterval(timer);
      kernel.dispose();
    }
    say(LOST, Boolean(model));
  };
  const timer = setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', check);
}

async function main() {
  const config = pageConfig();
  const scripts = Array.from(document.querySelectorAll(OUTPUT));
  const outputs = scripts.map((script) => JSON.parse(script.textContent));
  // Each output takes its script's place: Voila's server writes one per result or display.
  const draw = (manager) => Promise.all(scripts.map((script, index) => {
    const { holder, drawn } = drawOutput(manager, outputs[index],
      document.createDocumentFragment());
    script.replaceWith(holder);
    return drawn;
  }));
  if (!config.kernelId) {
    await draw(null);
    return;
  }
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: new URL(config.baseUrl || '/', window.location.href).href,
  });
  const kernel = new KernelConnection({
    model: { id: config.kernelId, name: 'python3' },
    serverSettings,
    handleComms: true,
    commsOverSubshells: CommsOverSubshells.Disabled, // Voila lets visitors open no subshell
  });
  kernel.connectionStatusChanged.connect((_, status) => {
    if (status === 'disconnected') say(LOST);
  });
  watchKernel(kernel, serverSettings);
  kernel.statusChanged.connect((_, status) => {
    if (status === 'dead') say(LOST);
    // the server started the kernel again (its process died): nothing of the lesson is in it
    if (status === 'autorestarting' || status === 'restarting') say(BLANK);
  });
  window.addEventListener('beforeunload', () => kernel.dispose());
  const manager = new LessonManager(kernel);
  await kernel.info;
  await manager.loadFromKernel();
  // A kernel that restarted has none of the lesson's widgets: say so once, not per widget.
  if (outputs.some((output) => output.data?.[WIDGET_VIEW]
      && !manager.has_model(output.data[WIDGET_VIEW].model_id))) {
    say(BLANK);
  }
  await draw(manager);
}

main().catch((error) => {
  console.error(error);
  say('Part of this lesson could not be shown. Reload the page to try again.');
});
