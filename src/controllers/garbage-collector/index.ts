/** Garbage collector factory. */
import type { ControllerFactory } from '../types.js';
import { GarbageCollector } from './garbage-collector.js';

export { GarbageCollector } from './garbage-collector.js';
export { DependencyGraph, FINALIZER_ORPHAN, FINALIZER_DELETE_DEPENDENTS, type GraphNode, type Identity } from './graph.js';

export const garbageCollector: ControllerFactory = (ctx) => new GarbageCollector(ctx);
