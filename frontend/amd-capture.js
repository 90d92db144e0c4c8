// See amd-define.js.
export const anywidgetFactory = globalThis.__rebalanceAmdFactories.pop();
delete globalThis.define;
delete globalThis.__rebalanceAmdFactories;
