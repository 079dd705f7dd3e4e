/** The client layer: everything components use to talk to the API. */
export * from './client.js';
export * from './errors.js';
export * from './event-recorder.js';
export * from './informer.js';
export * from './leader-election.js';
export * from './resources.js';
export * from './time-format.js';
export * from './transport.js';
export * from './workqueue.js';
