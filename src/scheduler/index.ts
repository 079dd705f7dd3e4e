/** The scheduler: what the server wires in. */
export { Scheduler, type SchedulerOptions, ERR_NO_NODES_AVAILABLE } from './scheduler.js';
export { Status, PluginNames, type Code } from './framework/status.js';
export { fitErrorMessage } from './framework/fit-error.js';
export { numFeasibleNodesToFind } from './num-feasible-nodes.js';
