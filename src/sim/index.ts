/** Simulated nodes: Nodes, Leases and pod lifecycles without containers (like KWOK). */
export * from './annotations.js';
export * from './node-object.js';
export * from './node-spec.js';
export * from './sim-nodes.js';
