/** The built-in controllers, in one explicit list (no registration by import side effects). */
import type { Controller, ControllerFactory } from './types.js';
import { csrApprovingController, csrSigningController } from './certificates/index.js';
import { cronJobController } from './cronjob/index.js';
import { daemonSetController } from './daemonset/index.js';
import { deploymentController } from './deployment/index.js';
import { disruptionController } from './disruption/index.js';
import { endpointsController } from './endpoints/index.js';
import { endpointSliceController } from './endpointslice/index.js';
import { garbageCollector } from './garbage-collector/index.js';
import { horizontalPodAutoscalerController, MetricsApiSource } from './hpa/index.js';
import { jobController } from './job/index.js';
import { namespaceController } from './namespace/index.js';
import { nodeIpamController } from './node-ipam/index.js';
import { nodeLifecycleController } from './node-lifecycle/index.js';
import { podGCController } from './podgc/index.js';
import { replicaSetController, replicationControllerController } from './replicaset/index.js';
import { resourceQuotaController } from './resourcequota/index.js';
import { rootCACertPublisher } from './root-ca-publisher/index.js';
import { serviceAccountController } from './serviceaccount/index.js';
import { statefulSetController } from './statefulset/index.js';
import { ttlAfterFinishedController } from './ttl-after-finished/index.js';
import { persistentVolumeBinderController } from './volume-binding/index.js';

export function builtinControllers(): ControllerFactory[] {
  return [
    namespaceController,
    garbageCollector,
    serviceAccountController,
    deploymentController,
    replicaSetController,
    replicationControllerController,
    daemonSetController,
    statefulSetController,
    jobController,
    cronJobController,
    ttlAfterFinishedController,
    endpointsController,
    endpointSliceController,
    nodeIpamController,
    nodeLifecycleController,
    podGCController,
    persistentVolumeBinderController,
    disruptionController,
    resourceQuotaController,
    (ctx) => horizontalPodAutoscalerController(ctx, new MetricsApiSource(ctx.client)),
    (ctx) => (ctx.config.rootCACert ? rootCACertPublisher(ctx, ctx.config.rootCACert) : idle('root-ca-cert-publisher')),
    csrApprovingController,
    (ctx) => (ctx.config.clusterCA ? csrSigningController(ctx, ctx.config.clusterCA) : idle('csrsigning')),
  ];
}

/** A controller with nothing to do in this configuration. */
function idle(name: string): Controller {
  return { name, run: async () => {} };
}
