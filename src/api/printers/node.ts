/** Nodes: STATUS from the Ready condition, ROLES from role labels; wide addresses and nodeInfo. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, rec, str, strMap, type JsonRecord } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';
/** Older clusters mark a role with a `kubernetes.io/role=<role>` label. */
const NODE_ROLE_LABEL = 'kubernetes.io/role';

export function nodeStatus(node: JsonRecord): string {
  const status = rec(node.status);
  const parts: string[] = [];
  // Only Ready counts; when a condition type repeats, the last one wins, as in upstream's map.
  const ready = arr(status.conditions).filter((c) => c.type === 'Ready').at(-1);
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (parts.length === 0) parts.push('Unknown');
  if (rec(node.spec).unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(labels: unknown): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(strMap(labels))) {
    if (k.startsWith(NODE_ROLE_PREFIX)) {
      const role = k.slice(NODE_ROLE_PREFIX.length);
      if (role !== '') roles.add(role);
    } else if (k === NODE_ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function address(status: JsonRecord, type: string): string {
  const a = arr(status.addresses).find((x) => x.type === type);
  return a ? str(a.address) : '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', swaggerDoc.NodeSystemInfo.kubeletVersion),
    column('Internal-IP', 'string', swaggerDoc.NodeStatus.addresses, 1),
    column('External-IP', 'string', swaggerDoc.NodeStatus.addresses, 1),
    column('OS-Image', 'string', swaggerDoc.NodeSystemInfo.osImage, 1),
    column('Kernel-Version', 'string', swaggerDoc.NodeSystemInfo.kernelVersion, 1),
    column('Container-Runtime', 'string', swaggerDoc.NodeSystemInfo.containerRuntimeVersion, 1),
  ],
  row(obj, now) {
    const status = rec(obj.status);
    const info = rec(status.nodeInfo);
    return [
      obj.metadata.name ?? '',
      nodeStatus(obj as JsonRecord),
      nodeRoles(obj.metadata.labels),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      str(info.kubeletVersion),
      address(status, 'InternalIP'),
      address(status, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};
