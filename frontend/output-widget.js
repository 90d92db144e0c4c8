// ipywidgets' Output widget (`ipywidgets.Output`, also what `interact` draws its results
// into), for the lesson page. The kernel sets the widget's `msg_id` while code runs inside
// `with out:`; what that code prints or displays comes as messages of that id, which this
// model catches and keeps as its `outputs` (sent back to the kernel, as JupyterLab's own
// does). `out.append_display_data(...)` and `out.outputs = ...` from the kernel change
// `outputs` directly. The view draws `outputs` again whenever they change.
import { DOMWidgetModel, DOMWidgetView } from '@jupyter-widgets/base';
import { drawOutput } from './outputs.js';

const CAUGHT = new Set(['stream', 'display_data', 'execute_result', 'error']);

export class OutputModel extends DOMWidgetModel {
  defaults() {
    return {
      ...super.defaults(),
      _model_name: 'OutputModel',
      _model_module: '@jupyter-widgets/output',
      _model_module_version: '1.0.0',
      _view_name: 'OutputView',
      _view_module: '@jupyter-widgets/output',
      _view_module_version: '1.0.0',
      msg_id: '',
      outputs: [],
    };
  }

  initialize(attributes, options) {
    super.initialize(attributes, options);
    this.clearOnNext = false;
    this.on('change:msg_id', this.catchMessages, this);
    this.catchMessages();
  }

  catchMessages() {
    const kernel = this.widget_manager.kernel;
    if (this.caughtId) {
      kernel.removeMessageHook(this.caughtId, this.hook);
      this.caughtId = null;
    }
    const msgId = this.get('msg_id');
    if (!msgId) return;
    this.hook = (msg) => this.take(msg);
    this.caughtId = msgId;
    kernel.registerMessageHook(msgId, this.hook);
  }

  /** Keep an output message of the running code; `false` stops it going anywhere else. */
  take(msg) {
    const type = msg.header.msg_type;
    if (type === 'clear_output') {
      if (msg.content.wait) this.clearOnNext = true;
      else this.setOutputs([]);
      return false;
    }
    if (!CAUGHT.has(type)) return true;
    const outputs = this.clearOnNext ? [] : [...this.get('outputs')];
    this.clearOnNext = false;
    const last = outputs[outputs.length - 1];
    if (type === 'stream' && last?.output_type === 'stream' && last.name === msg.content.name) {
      outputs[outputs.length - 1] = { ...last, text: last.text + msg.content.text };
    } else {
      outputs.push({ output_type: type, ...msg.content });
    }
    this.setOutputs(outputs);
    return false;
  }

  setOutputs(outputs) {
    this.set('outputs', outputs);
    this.save_changes();
  }
}

export class OutputView extends DOMWidgetView {
  render() {
    this.el.classList.add('jupyter-widgets-output-area');
    // Widgets among the outputs can only be attached once this view is on the page.
    this.displayed.then(() => {
      this.listenTo(this.model, 'change:outputs', this.draw);
      this.draw();
    });
  }

  draw() {
    this.el.replaceChildren();
    for (const output of this.model.get('outputs')) {
      drawOutput(this.model.widget_manager, output, this.el);
    }
  }
}
