// Drawing one output of a notebook (the JSON of nbformat: a stream, an error, a result or a
// display with its mime bundle) into the page: a widget through the widget manager,
// anything else much as JupyterLab shows a trusted notebook's outputs: HTML (its scripts
// run), Markdown, LaTeX (as typed: the page has no formula typesetter), SVG, PNG or JPEG
// images, and text.
import { marked } from 'marked';

export const WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json';
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** Text marked with its kind (`text/plain`, `application/vnd.jupyter.stderr`, ...). */
export function textBlock(text, kind = 'text/plain') {
  const pre = document.createElement('pre');
  pre.className = 'jp-RenderedText';
  pre.dataset.mimeType = kind;
  pre.textContent = text.replace(/\x1b\[[0-9;]*m/g, ''); // without terminal colours
  return pre;
}

/** A mime bundle's value as one string (nbformat may keep text as a list of lines). */
const joined = (value) => (Array.isArray(value) ? value.join('') : value);

/**
 * HTML from the lesson's notebook (or Markdown made into HTML), which the instructor wrote,
 * so trusted as on Voila's own page: its `<script>` elements run. (Scripts put in by
 * `innerHTML` never run, so each is swapped for a new one with the same attributes and
 * code, which runs when the output is put on the page.)
 */
function htmlBlock(html, kind) {
  const div = document.createElement('div');
  div.className = 'jp-RenderedHTMLCommon';
  div.dataset.mimeType = kind;
  div.innerHTML = html;
  for (const old of div.querySelectorAll('script')) {
    const script = document.createElement('script');
    for (const { name, value } of old.attributes) script.setAttribute(name, value);
    script.textContent = old.textContent;
    old.replaceWith(script);
  }
  return div;
}

/** An image from the bundle's data, described by its `text/plain` (if it has one). */
function image(src, data) {
  const img = document.createElement('img');
  img.src = src;
  img.alt = joined(data['text/plain'] || '');
  return img;
}

/**
 * SVG drawn as an image (a data: address), so that no script in it runs. An image needs
 * the SVG namespace on its `<svg>` element, which a notebook's SVG may leave out.
 */
function svgImage(svg, data) {
  const source = /<svg\b[^>]*\sxmlns\s*=/.test(svg) ? svg
    : svg.replace(/<svg\b/, `<svg xmlns="${SVG_NAMESPACE}"`);
  return image(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`, data);
}

/**
 * How each kind of a display's data is drawn, richest first (the order of JupyterLab's
 * renderers): the first kind the bundle has is the one shown.
 */
const DRAWN = [
  ['text/html', (html) => htmlBlock(html, 'text/html')],
  ['text/markdown', (text) => htmlBlock(marked.parse(text), 'text/markdown')],
  ['text/latex', (latex) => textBlock(latex, 'text/latex')],
  ['image/svg+xml', svgImage],
  ['image/png', (base64, data) => image(`data:image/png;base64,${base64}`, data)],
  ['image/jpeg', (base64, data) => image(`data:image/jpeg;base64,${base64}`, data)],
];

function staticOutput(output) {
  if (output.output_type === 'stream') {
    return textBlock(joined(output.text), `application/vnd.jupyter.${output.name}`);
  }
  if (output.output_type === 'error') {
    const text = (output.traceback || []).join('\n') || `${output.ename}: ${output.evalue}`;
    return textBlock(text, 'application/vnd.jupyter.error');
  }
  const data = output.data || {};
  for (const [type, draw] of DRAWN) {
    if (data[type]) return draw(joined(data[type]), data);
  }
  return textBlock(joined(data['text/plain'] || ''));
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
