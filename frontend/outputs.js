// Drawing one output of a notebook (the JSON of nbformat: a stream, an error, a result or a
// display with its mime bundle) into the page: a widget through the widget manager,
// anything else as Voila's page would show it (HTML, a PNG or JPEG image, text).
const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';

/** Text marked with its kind (`text/plain`, `application/vnd.jupyter.stderr`, ...). */
export function textBlock(text, kind = 'text/plain') {
  const pre = document.createElement('pre');
  pre.className = 'jp-RenderedText';
  pre.dataset.mimeType = kind;
  pre.textContent = text.replace(/\x1b\[[0-9;]*m/g, ''); // without terminal colours
  return pre;
}

function staticOutput(output) {
  if (output.output_type === 'stream') {
    return textBlock(output.text, `application/vnd.jupyter.${output.name}`);
  }
  if (output.output_type === 'error') {
    const text = (output.traceback || []).join('\n') || `${output.ename}: ${output.evalue}`;
    return textBlock(text, 'application/vnd.jupyter.error');
  }
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

/**
 * Draw `output` into a new `.jp-OutputArea-output` element appended to `parent`. Returns
 * `{holder, drawn}` at once: the element, and a promise that settles when a widget's view
 * is in it (a widget that cannot be drawn leaves an error note in its place instead).
 */
export function drawOutput(manager, output, parent) {
  const holder = document.createElement('div');
  holder.className = 'jp-OutputArea-output';
  parent.appendChild(holder);
  const view = output.data && output.data[WIDGET_VIEW];
  if (!view) {
    holder.appendChild(staticOutput(output));
    return { holder, drawn: Promise.resolve() };
  }
  const drawn = (async () => {
    const model = await manager.get_model(view.model_id);
    await manager.display_view(await manager.create_view(model), holder);
  })().catch((error) => {
    console.error(error);
    holder.appendChild(textBlock(`This part of the lesson could not be shown (${error.message}).`,
      'application/vnd.jupyter.error'));
  });
  return { holder, drawn };
}
