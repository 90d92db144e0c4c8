// anywidget publishes its front end as one AMD module (`define([...], factory)`). This file
// and `amd-capture.js` are imported just before and just after it: the first lends it a
// `define` that keeps the factory, the second takes `define` away again, so that libraries
// evaluated later (jQuery, Backbone, which look for an AMD loader) export as usual.
globalThis.__rebalanceAmdFactories = [];
globalThis.define = (deps, factory) => globalThis.__rebalanceAmdFactories.push(factory);
globalThis.define.amd = true;
