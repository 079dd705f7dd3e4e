/**
 * The protobuf schema skiff decodes: every package's wire facts, and the mapping from an
 * envelope's apiVersion/kind to a message.
 */
import { compileTables, type CompiledMessage, type MessageTable } from './message-table.js';
import { admissionregistrationV1 } from './messages/admissionregistration-v1.js';
import { appsV1 } from './messages/apps-v1.js';
import { authenticationV1 } from './messages/authentication-v1.js';
import { authorizationV1 } from './messages/authorization-v1.js';
import { autoscalingV1 } from './messages/autoscaling-v1.js';
import { autoscalingV2 } from './messages/autoscaling-v2.js';
import { batchV1 } from './messages/batch-v1.js';
import { certificatesV1 } from './messages/certificates-v1.js';
import { coordinationV1 } from './messages/coordination-v1.js';
import { coreV1 } from './messages/core-v1.js';
import { discoveryV1 } from './messages/discovery-v1.js';
import { eventsV1 } from './messages/events-v1.js';
import { flowcontrolV1 } from './messages/flowcontrol-v1.js';
import { metaV1 } from './messages/meta-v1.js';
import { networkingV1 } from './messages/networking-v1.js';
import { nodeV1 } from './messages/node-v1.js';
import { policyV1 } from './messages/policy-v1.js';
import { rbacV1 } from './messages/rbac-v1.js';
import { schedulingV1 } from './messages/scheduling-v1.js';
import { storageV1 } from './messages/storage-v1.js';

/** Package prefix (as used in the tables) for each API group. */
const GROUP_PACKAGES: Readonly<Record<string, string>> = {
  '': 'core',
  'admissionregistration.k8s.io': 'admissionregistration',
  apps: 'apps',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
  autoscaling: 'autoscaling',
  batch: 'batch',
  'certificates.k8s.io': 'certificates',
  'coordination.k8s.io': 'coordination',
  'discovery.k8s.io': 'discovery',
  'events.k8s.io': 'events',
  'flowcontrol.apiserver.k8s.io': 'flowcontrol',
  'meta.k8s.io': 'meta',
  'networking.k8s.io': 'networking',
  'node.k8s.io': 'node',
  policy: 'policy',
  'rbac.authorization.k8s.io': 'rbac',
  'scheduling.k8s.io': 'scheduling',
  'storage.k8s.io': 'storage',
};

const PACKAGES: Readonly<Record<string, MessageTable>> = {
  'admissionregistration.v1': admissionregistrationV1,
  'apps.v1': appsV1,
  'authentication.v1': authenticationV1,
  'authorization.v1': authorizationV1,
  'autoscaling.v1': autoscalingV1,
  'autoscaling.v2': autoscalingV2,
  'batch.v1': batchV1,
  'certificates.v1': certificatesV1,
  'coordination.v1': coordinationV1,
  'core.v1': coreV1,
  'discovery.v1': discoveryV1,
  'events.v1': eventsV1,
  'flowcontrol.v1': flowcontrolV1,
  'meta.v1': metaV1,
  'networking.v1': networkingV1,
  'node.v1': nodeV1,
  'policy.v1': policyV1,
  'rbac.v1': rbacV1,
  'scheduling.v1': schedulingV1,
  'storage.v1': storageV1,
};

/**
 * Option kinds upstream registers into every group version, so a body may carry
 * e.g. `apps/v1` DeleteOptions.
 */
const META_KINDS_IN_EVERY_VERSION = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status', 'WatchEvent']);

export interface ProtobufSchema {
  message(name: string): CompiledMessage | undefined;
  /** The message for a top-level kind, or undefined when skiff has no wire facts for it. */
  messageForKind(apiVersion: string, kind: string): CompiledMessage | undefined;
}

export function createProtobufSchema(packages: Readonly<Record<string, MessageTable>> = PACKAGES): ProtobufSchema {
  const messages = compileTables(packages);
  return {
    message: (name) => messages.get(name),
    messageForKind(apiVersion, kind) {
      if (!/^[A-Za-z0-9]+$/.test(kind)) return undefined;
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
      const pkg = GROUP_PACKAGES[group];
      const direct = pkg === undefined ? undefined : messages.get(`${pkg}.${version}.${kind}`);
      if (direct) return direct;
      return META_KINDS_IN_EVERY_VERSION.has(kind) && version !== '' ? messages.get(`meta.v1.${kind}`) : undefined;
    },
  };
}
