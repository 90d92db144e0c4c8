// The widget manager of a lesson page: ipywidgets' own manager base, talking to the lesson's
// kernel through JupyterLab's kernel connection, with the three widget libraries a lesson
// uses bundled in (ipywidgets' base, controls and Output, anywidget).
import './amd-define.js';
import 'anywidget';
import { anywidgetFactory } from './amd-capture.js';
import * as base from '@jupyter-widgets/base';
import * as controls from '@jupyter-widgets/controls';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import { Widget } from '@lumino/widgets';
import * as output from './output-widget.js';

const MODULES = {
  '@jupyter-widgets/base': base,
  '@jupyter-widgets/controls': controls,
  '@jupyter-widgets/output': output,
  anywidget: anywidgetFactory(base),
};

/**
 * The page's stand-in for a LaTeX typesetter. ipywidgets hands every description, Label and
 * HTMLMath to one; the kit writes `\$` in descriptions so that JupyterLab's MathJax shows a
 * plain dollar sign. This page has no MathJax: it shows the dollar sign the same way (what
 * MathJax's `processEscapes` does) and leaves any formula as typed.
 */
const dollarsAsTyped = {
  typeset(element) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.includes('\\$')) node.data = node.data.replaceAll('\\$', '$');
    }
  },
};

export class LessonManager extends ManagerBase {
  /** @param kernel a `KernelConnection` of `@jupyterlab/services` with `handleComms` */
  constructor(kernel) {
    super();
    this.kernel = kernel;
    this._rendermime = { latexTypesetter: dollarsAsTyped };  // read by ipywidgets' labels
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      await this.handle_comm_open(new base.shims.services.Comm(comm), msg);
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    const module = MODULES[moduleName];
    if (!module || !module[className]) {
      throw new Error(`This page has no widget ${className} of ${moduleName} ${moduleVersion}`);
    }
    return module[className];
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new base.shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }

  async display_view(view, element) {
    Widget.attach(view.luminoWidget, element);
    return view;
  }

  /** Every widget the kernel holds, asked for in one request (ipywidgets' control comm). */
  loadFromKernel() {
    return this._loadFromKernel();
  }
}
