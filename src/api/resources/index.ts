/** The built-in resource table, as upstream 1.32 serves it (flowcontrol and review APIs aside). */
import type { ResourceType } from '../resource-type.js';
import { coreResources } from './core.js';
import { appsResources } from './apps.js';
import { batchResources } from './batch.js';
import { autoscalingResources } from './autoscaling.js';
import { policyResources } from './policy.js';
import { networkingResources } from './networking.js';
import { storageResources } from './storage.js';
import { rbacResources } from './rbac.js';
import { coordinationResources } from './coordination.js';
import { discoveryResources } from './discovery.js';
import { eventsResources } from './events.js';
import { schedulingResources } from './scheduling.js';
import { nodeResources } from './node.js';
import { certificatesResources } from './certificates.js';
import { admissionregistrationResources } from './admissionregistration.js';
import { apiextensionsResources } from './apiextensions.js';
import { authenticationResources } from './authentication.js';
import { authorizationResources } from './authorization.js';
import { metricsResources } from './metrics.js';

/** A fresh array of fresh rows on every call, so callers may mutate what they get. */
export function builtinResources(): ResourceType[] {
  return [
    ...coreResources(),
    ...admissionregistrationResources(),
    ...apiextensionsResources(),
    ...appsResources(),
    ...authenticationResources(),
    ...authorizationResources(),
    ...autoscalingResources(),
    ...batchResources(),
    ...certificatesResources(),
    ...coordinationResources(),
    ...discoveryResources(),
    ...eventsResources(),
    ...metricsResources(),
    ...networkingResources(),
    ...nodeResources(),
    ...policyResources(),
    ...rbacResources(),
    ...schedulingResources(),
    ...storageResources(),
  ];
}
