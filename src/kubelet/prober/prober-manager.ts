/**
 * Probes for every running pod on the node (upstream's prober manager). The pod worker
 * reports each status it renders (observe), which tells which container instance runs where;
 * verdicts come back through readiness()/started() and a kick of the pod's worker when they
 * change. Liveness and startup failures kill the container; the pod worker restarts it per
 * restartPolicy.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { parseTime } from '../../client/time-format.js';
import type { CriClient } from '../cri/cri-client.js';
import { isNotFound } from '../cri/errors.js';
import type { Container, Pod } from '../pods/pod-types.js';
import type { Probe, ProbeKind } from './probe-types.js';
import { ProbeWorker, type ContainerRunState } from './probe-worker.js';
import { runProbe } from './run-probe.js';

export interface ProberDeps {
  cri: Pick<CriClient, 'execSync' | 'stopContainer'>;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  /** Asks the pod's worker for a new sync (a verdict changed). */
  kick(podUid: string): void;
}

type ProbedContainer = Container & { livenessProbe?: Probe; readinessProbe?: Probe; startupProbe?: Probe };

interface ContainerStatusJSON {
  name: string;
  containerID?: string;
  state?: { running?: { startedAt?: string } };
}

interface PodProbes {
  pod: Pod;
  /** Per container: its workers by kind. */
  containers: Map<string, Map<ProbeKind, ProbeWorker>>;
}

const KIND_TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };
const DEFAULT_GRACE = 30;

export class ProberManager {
  private readonly pods = new Map<string, PodProbes>();

  constructor(private readonly d: ProberDeps) {}

  /** The status the pod worker just rendered for `pod`, and the pod's IPs. */
  observe(pod: Pod, status: Record<string, unknown>, podIPs: string[]): void {
    const uid = pod.metadata.uid!;
    let entry = this.pods.get(uid);
    if (!entry) {
      entry = { pod, containers: this.workersFor(uid, pod) };
      if (entry.containers.size === 0) return;
      this.pods.set(uid, entry);
    }
    entry.pod = pod;
    const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
    const statuses = [...((status.containerStatuses as ContainerStatusJSON[] | undefined) ?? []), ...((status.initContainerStatuses as ContainerStatusJSON[] | undefined) ?? [])];
    for (const [name, workers] of entry.containers) {
      const cs = statuses.find((s) => s.name === name);
      const startedAt = parseTime(cs?.state?.running?.startedAt);
      const id = cs?.containerID?.replace(/^[a-z]+:\/\//, '');
      const state: ContainerRunState | undefined =
        !terminal && !pod.metadata.deletionTimestamp && id && startedAt !== undefined && podIPs[0] ? { containerId: id, startedAt, podIP: podIPs[0] } : undefined;
      for (const w of workers.values()) w.observe(state);
    }
  }

  /** The pod is gone: stop its probes. */
  forget(podUid: string): void {
    const entry = this.pods.get(podUid);
    if (!entry) return;
    for (const workers of entry.containers.values()) for (const w of workers.values()) w.stop();
    this.pods.delete(podUid);
  }

  /** A readiness verdict; undefined when the container has neither readiness nor startup probe. */
  readiness(podUid: string, container: string): boolean | undefined {
    const workers = this.pods.get(podUid)?.containers.get(container);
    if (!workers) return undefined;
    const startup = workers.get('startup');
    if (startup && !startup.verdict) return false;
    const readiness = workers.get('readiness');
    if (readiness) return readiness.verdict;
    return startup ? true : undefined;
  }

  /** Whether the startup probe passed; undefined when the container has none. */
  started(podUid: string, container: string): boolean | undefined {
    return this.pods.get(podUid)?.containers.get(container)?.get('startup')?.verdict;
  }

  close(): void {
    for (const uid of [...this.pods.keys()]) this.forget(uid);
  }

  private workersFor(uid: string, pod: Pod): Map<string, Map<ProbeKind, ProbeWorker>> {
    const out = new Map<string, Map<ProbeKind, ProbeWorker>>();
    const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
    for (const [c, init] of [...pod.spec.containers.map((c) => [c, false] as const), ...sidecars.map((c) => [c, true] as const)]) {
      const pc = c as ProbedContainer;
      const workers = new Map<ProbeKind, ProbeWorker>();
      const fieldPath = `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;
      const add = (kind: ProbeKind, probe: Probe | undefined) => {
        if (!probe) return;
        workers.set(
          kind,
          new ProbeWorker(kind, c, probe, {
            clock: this.d.clock,
            run: (p, state, timeout) => runProbe(p, { containerId: state.containerId, container: c, podIP: state.podIP }, timeout, this.d.cri, this.d.clock),
            gated: () => workers.get('startup')?.verdict === false,
            failed: (k, output) => this.d.recorder.event(this.pods.get(uid)?.pod ?? pod, 'Warning', 'Unhealthy', `${KIND_TITLE[k]} probe failed: ${output}`, fieldPath),
            changed: () => {
              if (kind === 'startup' && workers.get('startup')?.verdict) for (const [k, w] of workers) if (k !== 'startup') w.wake();
              this.d.kick(uid);
            },
            kill: (k, state) => void this.kill(uid, c, probe, k, state.containerId, fieldPath),
          }),
        );
      };
      add('startup', pc.startupProbe);
      add('liveness', pc.livenessProbe);
      add('readiness', pc.readinessProbe);
      if (workers.size) out.set(c.name, workers);
    }
    return out;
  }

  private async kill(uid: string, c: Container, probe: Probe, kind: ProbeKind, containerId: string, fieldPath: string): Promise<void> {
    const pod = this.pods.get(uid)?.pod;
    if (!pod) return;
    const grace = probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE;
    this.d.recorder.event(pod, 'Normal', 'Killing', `Container ${c.name} failed ${kind} probe, will be restarted`, fieldPath);
    try {
      await this.d.cri.stopContainer(containerId, grace);
    } catch (err) {
      if (!isNotFound(err)) this.d.log.warn('stopping a container that failed its probe failed', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, container: c.name, error: err });
    }
    this.d.kick(uid);
  }
}
