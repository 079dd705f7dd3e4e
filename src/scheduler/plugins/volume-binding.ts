/**
 * VolumeBinding (basics): every PVC must exist; bound claims pin the pod to nodes their PV's
 * nodeAffinity allows; unbound claims of a WaitForFirstConsumer class are matched to an
 * available PV on the node or left to dynamic provisioning (the chosen node is written to the
 * claim's `volume.kubernetes.io/selected-node` annotation in PreBind); unbound claims of an
 * Immediate class make the pod wait for the PV controller.
 * NOTE: PreBind does not wait for the claims to become bound before the pod is bound.
 */
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import type { NodeSelectorTerm } from '../framework/api-types.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { ClusterEvent, EnqueueExtensions, FilterPlugin, Handle, PreBindPlugin, PreFilterPlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { Resource } from '../framework/resource.js';
import { PluginNames, Status } from '../framework/status.js';
import { matchesNodeSelectorTerms } from './node-selector-match.js';

export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ANNOTATION_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

const STATE_KEY = 'PreFilterVolumeBinding';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

interface Claim {
  pvc: KubeObject & { spec?: PvcSpec };
  class?: KubeObject & { provisioner?: string; volumeBindingMode?: string };
}

interface PvcSpec {
  volumeName?: string;
  storageClassName?: string;
  accessModes?: string[];
  resources?: { requests?: Record<string, string> };
}

interface PvSpec {
  storageClassName?: string;
  accessModes?: string[];
  capacity?: Record<string, string>;
  claimRef?: { namespace?: string; name?: string };
  nodeAffinity?: { required?: { nodeSelectorTerms?: NodeSelectorTerm[] } };
}

interface State {
  boundPVs: (KubeObject & { spec?: PvSpec })[];
  delayed: Claim[];
  /** Node → claim name → PV chosen in Filter. */
  chosen: Map<string, Map<string, string>>;
}

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = PluginNames.VolumeBinding;

  constructor(private readonly handle: Pick<Handle, 'listers' | 'client'>) {}

  preFilter(state: CycleState, pod: PodInfo): { status: Status } {
    const vols = pod.pod.spec.volumes ?? [];
    const ns = pod.pod.metadata.namespace ?? 'default';
    const claimNames: string[] = [];
    for (const v of vols) {
      if (v.persistentVolumeClaim) claimNames.push(v.persistentVolumeClaim.claimName);
      else if (v.ephemeral) claimNames.push(`${pod.pod.metadata.name}-${v.name}`);
    }
    if (claimNames.length === 0) return { status: new Status('Skip') };
    const { pvcs, pvs, storageClasses } = this.handle.listers;
    const s: State = { boundPVs: [], delayed: [], chosen: new Map() };
    let immediateUnbound = false;
    for (const name of claimNames) {
      const pvc = pvcs.getByName(ns, name) as Claim['pvc'] | undefined;
      if (!pvc) return { status: Status.unresolvable(`persistentvolumeclaim "${name}" not found`) };
      if (pvc.metadata.deletionTimestamp) return { status: Status.unresolvable(`persistentvolumeclaim "${name}" is being deleted`) };
      const volumeName = pvc.spec?.volumeName;
      if (volumeName) {
        const pv = pvs.getByName(undefined, volumeName);
        if (!pv) return { status: Status.unresolvable(`persistentvolume "${volumeName}" not found`) };
        s.boundPVs.push(pv as State['boundPVs'][number]);
        continue;
      }
      const className = pvc.spec?.storageClassName ?? '';
      const cls = className ? (storageClasses.getByName(undefined, className) as Claim['class']) : undefined;
      if (cls?.volumeBindingMode === 'WaitForFirstConsumer') s.delayed.push({ pvc, class: cls });
      else immediateUnbound = true;
    }
    if (immediateUnbound) return { status: Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    state.write(STATE_KEY, s);
    return { status: Status.success() };
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Status {
    const s = state.read<State>(STATE_KEY);
    if (!s || !nodeInfo.node) return Status.success();
    for (const pv of s.boundPVs) {
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !matchesNodeSelectorTerms(nodeInfo.node, terms)) return Status.unresolvable(ERR_REASON_NODE_CONFLICT);
    }
    if (s.delayed.length === 0) return Status.success();
    const taken = new Set<string>();
    const chosen = new Map<string, string>();
    for (const claim of s.delayed) {
      const pv = this.findPV(claim, nodeInfo, taken);
      if (pv) {
        taken.add(pv);
        chosen.set(claim.pvc.metadata.name!, pv);
      } else if (!claim.class?.provisioner || claim.class.provisioner === NO_PROVISIONER) {
        return Status.unschedulable(ERR_REASON_BIND_CONFLICT);
      }
    }
    s.chosen.set(nodeInfo.name, chosen);
    return Status.success();
  }

  private findPV(claim: Claim, nodeInfo: NodeInfo, taken: Set<string>): string | undefined {
    const want = Resource.fromList(claim.pvc.spec?.resources?.requests).scalar?.get('storage') ?? 0;
    const modes = claim.pvc.spec?.accessModes ?? [];
    const className = claim.pvc.spec?.storageClassName ?? '';
    let best: { name: string; size: number } | undefined;
    for (const obj of this.handle.listers.pvs.list()) {
      const pv = obj as KubeObject & { spec?: PvSpec; status?: { phase?: string } };
      const name = pv.metadata.name!;
      if (taken.has(name) || pv.spec?.claimRef || pv.metadata.deletionTimestamp) continue;
      if ((pv.spec?.storageClassName ?? '') !== className) continue;
      if (!modes.every((m) => pv.spec?.accessModes?.includes(m))) continue;
      const size = Resource.fromList(pv.spec?.capacity).scalar?.get('storage') ?? 0;
      if (size < want) continue;
      const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !matchesNodeSelectorTerms(nodeInfo.node!, terms)) continue;
      if (!best || size < best.size) best = { name, size };
    }
    return best?.name;
  }

  async preBind(state: CycleState, pod: PodInfo, nodeName: string): Promise<Status> {
    const s = state.read<State>(STATE_KEY);
    if (!s || s.delayed.length === 0) return Status.success();
    const chosen = s.chosen.get(nodeName) ?? new Map<string, string>();
    const ns = pod.pod.metadata.namespace;
    try {
      for (const claim of s.delayed) {
        const claimName = claim.pvc.metadata.name!;
        const pv = chosen.get(claimName);
        if (pv) {
          await this.handle.client.patch(Resources.persistentvolumes, undefined, pv, 'merge', {
            spec: { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: ns, name: claimName, uid: claim.pvc.metadata.uid } },
          });
        } else {
          await this.handle.client.patch(Resources.persistentvolumeclaims, ns, claimName, 'merge', {
            metadata: { annotations: { [ANNOTATION_SELECTED_NODE]: nodeName } },
          });
        }
      }
    } catch (err) {
      return Status.error(err);
    }
    return Status.success();
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
      { resource: 'PersistentVolume', actions: ['Add', 'Update'] },
      { resource: 'StorageClass', actions: ['Add', 'Update'] },
      { resource: 'Node', actions: ['Add', 'Update'] },
    ];
  }
}
