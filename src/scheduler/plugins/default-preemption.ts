/**
 * DefaultPreemption (PostFilter): when no node fits, find nodes where evicting lower-priority
 * pods would make room, pick one by upstream's criteria, delete the victims and nominate the
 * node for the pod.
 */
import { matchesLabels, fromLabelSelectorObject, type LabelSelectorObject } from '../../api/selectors/label-selector.js';
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import { rfc3339, parseTime } from '../../client/time-format.js';
import type { CycleState } from '../framework/cycle-state.js';
import { fitErrorMessage } from '../framework/fit-error.js';
import { NodeToStatus, type Handle, type PostFilterPlugin, type PostFilterResult } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import type { PodInfo } from '../framework/pod-info.js';
import { PluginNames, Status } from '../framework/status.js';

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  node: string;
  victims: PodInfo[];
  numPDBViolations: number;
}

interface Pdb {
  namespace: string;
  selector: ReturnType<typeof fromLabelSelectorObject>;
  allowed: number;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = PluginNames.DefaultPreemption;

  constructor(private readonly handle: Handle) {}

  async postFilter(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<PostFilterResult> {
    const r = await this.preempt(state, pod, nodeToStatus);
    const msg = r.status.message();
    return msg ? { ...r, status: new Status(r.status.code, [`preemption: ${msg}`]) } : r;
  }

  private async preempt(state: CycleState, pod: PodInfo, nodeToStatus: NodeToStatus): Promise<PostFilterResult> {
    const eligible = this.eligible(pod);
    if (eligible) return { status: Status.unschedulable(eligible) };
    const all = this.handle.snapshot.list();
    const { candidates, statuses } = this.findCandidates(state, pod, all, nodeToStatus);
    if (candidates.length === 0) {
      const msg = fitErrorMessage(all.length, { nodeToStatus: statuses, unschedulablePlugins: new Set() });
      return { status: Status.unschedulable(msg) };
    }
    const best = pickOneNodeForPreemption(candidates);
    try {
      await this.prepareCandidate(best, pod);
    } catch (err) {
      return { status: Status.error(err) };
    }
    return { nominatedNodeName: best.node, status: Status.success() };
  }

  /** Returns why the pod may not preempt, or '' when it may. */
  private eligible(pod: PodInfo): string {
    if (pod.pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.pod.status?.nominatedNodeName;
    if (nominated) {
      const info = this.handle.snapshot.get(nominated);
      if (info) {
        for (const p of info.pods.values()) {
          if (p.pod.metadata.deletionTimestamp && p.priority < pod.priority) return 'not eligible due to a terminating pod on the nominated node.';
        }
      }
    }
    return '';
  }

  findCandidates(state: CycleState, pod: PodInfo, all: readonly NodeInfo[], nodeToStatus: NodeToStatus): { candidates: Candidate[]; statuses: NodeToStatus } {
    const statuses = new NodeToStatus();
    const potential: NodeInfo[] = [];
    for (const n of all) {
      const s = nodeToStatus.get(n.name);
      if (s?.code === 'UnschedulableAndUnresolvable') statuses.statuses.set(n.name, Status.unresolvable(MSG_NOT_HELPFUL));
      else potential.push(n);
    }
    const pdbs = this.pdbs();
    const candidates: Candidate[] = [];
    for (const n of potential) {
      const r = this.selectVictimsOnNode(state.clone(), pod, n, pdbs);
      if (r.status.isSuccess()) candidates.push({ node: n.name, victims: r.victims, numPDBViolations: r.numPDBViolations });
      else statuses.statuses.set(n.name, r.status);
    }
    return { candidates, statuses };
  }

  selectVictimsOnNode(state: CycleState, pod: PodInfo, original: NodeInfo, pdbs: Pdb[]): { victims: PodInfo[]; numPDBViolations: number; status: Status } {
    const fw = this.handle.framework;
    const nodeInfo = original.clone();
    const potential: PodInfo[] = [];
    for (const p of [...nodeInfo.pods.values()]) {
      if (p.priority >= pod.priority) continue;
      potential.push(p);
      nodeInfo.removePod(p.key);
      const s = fw.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
      if (!s.isSuccess()) return { victims: [], numPDBViolations: 0, status: s };
    }
    if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: Status.unresolvable(MSG_NO_VICTIMS) };
    const fits = fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!fits.isSuccess()) return { victims: [], numPDBViolations: 0, status: fits };
    // Most important first, so they are the first to be given back their place.
    potential.sort(moreImportant);
    const { violating, nonViolating } = splitByPDB(potential, pdbs);
    const victims: PodInfo[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: PodInfo): boolean => {
      nodeInfo.addPod(p);
      fw.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
      if (fw.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess()) return true;
      nodeInfo.removePod(p.key);
      fw.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
      victims.push(p);
      return false;
    };
    for (const p of violating) if (!reprieve(p)) numPDBViolations++;
    for (const p of nonViolating) reprieve(p);
    victims.sort(moreImportant);
    return { victims, numPDBViolations, status: Status.success() };
  }

  private pdbs(): Pdb[] {
    return this.handle.listers.pdbs.list().map((o) => {
      const spec = (o.spec ?? {}) as { selector?: LabelSelectorObject };
      let selector: Pdb['selector'];
      try {
        // A PDB without a selector selects nothing.
        selector = spec.selector ? fromLabelSelectorObject(spec.selector) : [{ key: '', op: 'in', values: [] }];
      } catch {
        selector = [{ key: '', op: 'in', values: [] }];
      }
      const allowed = ((o.status ?? {}) as { disruptionsAllowed?: number }).disruptionsAllowed ?? 0;
      return { namespace: o.metadata.namespace ?? '', selector, allowed };
    });
  }

  private async prepareCandidate(c: Candidate, pod: PodInfo): Promise<void> {
    const { client, recorder, clock } = this.handle;
    const now = rfc3339(clock.now());
    await Promise.all(
      c.victims.map(async (v) => {
        const m = v.pod.metadata;
        try {
          await client.patch(Resources.pods, m.namespace, m.name!, 'strategic', {
            status: {
              conditions: [
                {
                  type: 'DisruptionTarget',
                  status: 'True',
                  reason: 'PreemptionByScheduler',
                  message: `${'default-scheduler'}: preempting to accommodate a higher priority pod`,
                  lastTransitionTime: now,
                },
              ],
            },
          }, { subresource: 'status' });
          await client.delete(Resources.pods, m.namespace, m.name!, { preconditions: m.uid ? { uid: m.uid } : undefined });
        } catch (err) {
          if ((err as { code?: number }).code === 404) return;
          throw err;
        }
        recorder.event(v.pod as KubeObject, 'Normal', 'Preempted', `Preempted by pod ${pod.pod.metadata.uid} on node ${c.node}`);
      }),
    );
    // Lower-priority pods nominated to this node lose their nomination: the room is taken.
    for (const np of this.handle.nominator.nominatedPodsForNode(c.node)) {
      if (np.priority >= pod.priority || np.key === pod.key) continue;
      const m = np.pod.metadata;
      await client.patch(Resources.pods, m.namespace, m.name!, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' }).catch(() => undefined);
    }
  }
}

function startTime(p: PodInfo): number {
  return parseTime(p.pod.status?.startTime) ?? parseTime(p.pod.metadata.creationTimestamp) ?? 0;
}

/** Higher priority first; among equals the one running longer. */
function moreImportant(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return startTime(a) - startTime(b);
}

function splitByPDB(pods: PodInfo[], pdbs: Pdb[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.allowed);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const p of pods) {
    let violates = false;
    const labels = p.pod.metadata.labels;
    if (labels && Object.keys(labels).length) {
      pdbs.forEach((pdb, i) => {
        if (pdb.namespace !== p.pod.metadata.namespace || !matchesLabels(pdb.selector, labels)) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violates = true;
      });
    }
    (violates ? violating : nonViolating).push(p);
  }
  return { violating, nonViolating };
}

/**
 * Upstream's order: fewest PDB violations, lowest highest-victim priority, smallest sum of
 * priorities, fewest victims, latest start among the highest-priority victims, then first.
 */
export function pickOneNodeForPreemption(candidates: Candidate[]): Candidate {
  const withoutVictims = candidates.find((c) => c.victims.length === 0);
  if (withoutVictims) return withoutVictims;
  const offset = 2 ** 31;
  const criteria: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -c.victims[0]!.priority,
    (c) => -c.victims.reduce((s, v) => s + v.priority + offset, 0),
    (c) => -c.victims.length,
    (c) => {
      const top = c.victims[0]!.priority;
      let earliest = Infinity;
      for (const v of c.victims) if (v.priority === top) earliest = Math.min(earliest, startTime(v));
      return earliest;
    },
  ];
  let pool = candidates;
  for (const score of criteria) {
    if (pool.length === 1) break;
    let best = -Infinity;
    let next: Candidate[] = [];
    for (const c of pool) {
      const s = score(c);
      if (s > best) {
        best = s;
        next = [c];
      } else if (s === best) next.push(c);
    }
    pool = next;
  }
  return pool[0]!;
}
