export * from './controller-revision.js';
export * from './revision-hash.js';
export * from './revision-history.js';
export * from './claim-owned.js';
