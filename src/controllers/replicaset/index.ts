/** Factories for the ReplicaSet and ReplicationController controllers. */
import type { ControllerFactory } from '../types.js';
import { replicaSetKind, replicationControllerKind } from './replica-kind.js';
import { ReplicaSetController } from './replicaset-controller.js';

export { ReplicaSetController } from './replicaset-controller.js';
export { replicaSetKind, replicationControllerKind, type ReplicaKind } from './replica-kind.js';

export const replicaSetController: ControllerFactory = (ctx) => new ReplicaSetController(ctx, replicaSetKind);
export const replicationControllerController: ControllerFactory = (ctx) => new ReplicaSetController(ctx, replicationControllerKind);
