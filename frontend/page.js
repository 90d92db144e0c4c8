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

const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const CHECK_EVERY_MS = 20_000;
const LOST = 'This lesson has lost its connection to the server. Reload the page to start it again.';

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

/** Text as Voila's page shows it, marked with its kind (plain, or an error). */
function textBlock(text, kind = 'text/plain') {
  const pre = document.createElement('pre');
  pre.className = 'jp-RenderedText';
  pre.dataset.mimeType = kind;
  pre.textContent = text;
  return pre;
}

/**
 * A result or display that is not a widget (HTML, an image, text), drawn as Voila's page
 * would draw it. Printed words and errors never come here: Voila's server writes them into
 * the page as HTML.
 */
function staticOutput(output) {
  const data = output.data || {};
  if (data['text/html']) {
    const div = document.createElement('div');
    div.className = 'jp-RenderedHTMLCommon';
    div.innerHTML = data['text/html'];
    return div;
  }
  for (const type of ['image/png', 'image/jpeg']) {
    if (data[type]) {
      const img = document.createElement('img');
      img.src = `data:${type};base64,${data[type]}`;
      img.alt = data['text/plain'] || '';
      return img;
    }
  }
  return textBlock(data['text/plain'] || '');
}

async function drawOutput(manager, script) {
  const output = JSON.parse(script.textContent);
  const holder = document.createElement('div');
  holder.className = 'jp-OutputArea-output';
  script.replaceWith(holder);
  const view = output.data && output.data[WIDGET_VIEW];
  if (!view) {
    holder.appendChild(staticOutput(output));
    return;
  }
  try {
    const model = await manager.get_model(view.model_id);
    await manager.display_view(await manager.create_view(model), holder);
  } catch (error) {
    console.error(error);
    holder.appendChild(textBlock(`This part of the lesson could not be shown (${error.message}).`,
      'application/vnd.jupyter.error'));
  }
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
  if (!config.kernelId) {
    scripts.forEach((script) => script.replaceWith(staticOutput(JSON.parse(script.textContent))));
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
  });
  window.addEventListener('beforeunload', () => kernel.dispose());
  const manager = new LessonManager(kernel);
  await kernel.info;
  await manager.loadFromKernel();
  await Promise.all(scripts.map((script) => drawOutput(manager, script)));
}

main().catch((error) => {
  console.error(error);
  say('Part of this lesson could not be shown. Reload the page to try again.');
});
