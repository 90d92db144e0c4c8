// A lesson page's front end. Voila's server has run the lesson in a kernel and sent the page
// with its text and, where a cell shows something, the output as JSON in a
// `<script type="application/vnd.voila.cell-output+json">`. This connects to that kernel,
// asks it for every widget's state at once and draws each output in its place. It replaces
// Voila's JupyterLab application on lesson pages: a lesson needs widgets, not an IDE shell.
import { ServerConnection } from '@jupyterlab/services';
import { KernelConnection } from '@jupyterlab/services/lib/kernel/default';
import '@jupyter-widgets/controls/css/widgets-base.css';
import './page.css';
import { LessonManager } from './manager.js';

const OUTPUT = 'script[type="application/vnd.voila.cell-output+json"]';
const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const LOST = 'This lesson has lost its connection to the server. Reload the page to start it again.';

function pageConfig() {
  const node = document.getElementById('jupyter-config-data');
  return node ? JSON.parse(node.textContent) : {};
}

function say(text) {
  let note = document.getElementById('rebalance-page-status');
  if (!note) {
    note = document.createElement('p');
    note.id = 'rebalance-page-status';
    note.setAttribute('role', 'alert');
    document.body.prepend(note);
  }
  note.textContent = text;
}

function textBlock(text) {
  const pre = document.createElement('pre');
  pre.textContent = text;
  return pre;
}

/** An output that is not a widget, drawn as Voila's page would draw it. */
function staticOutput(output) {
  if (output.output_type === 'stream') return textBlock(output.text);
  if (output.output_type === 'error') return textBlock(`${output.ename}: ${output.evalue}`);
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
  const model = await manager.get_model(view.model_id);
  await manager.display_view(await manager.create_view(model), holder);
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
    model: { id: config.kernelId, name: 'python3' }, serverSettings, handleComms: true,
  });
  kernel.connectionStatusChanged.connect((_, status) => {
    if (status === 'disconnected') say(LOST);
  });
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
