/**
 * Sets up the volumes of the pods on this node before their containers start (upstream's
 * volume manager and the in-tree plugins emptyDir, hostPath, configMap, secret, downwardAPI,
 * projected, and claims bound to hostPath/local volumes), keeps the API-backed ones current
 * while the pods run, and turns each container's volumeMounts into CRI mounts.
 *
 * Layout: `<podsDir>/<uid>/volumes/<plugin>/<name>`. Secret, downwardAPI, projected and
 * `medium: Memory` emptyDir volumes are tmpfs mounts there, as upstream keeps secrets off disk.
 * A disk emptyDir's sizeLimit is not enforced (upstream evicts the pod; skiff has no eviction).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, posix, sep } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { parseQuantity } from '../../api/quantity.js';
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import type { Mount } from '../cri/types.js';
import { ContainerConfigError, expandVars, type EnvSources } from '../pods/env.js';
import type { Container, Pod } from '../pods/pod-types.js';
import { writeAtomically } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import { systemMounter, type Mounter } from './mounter.js';
import { volumePayload, type PayloadSources } from './payloads.js';
import { TokenManager } from './token-manager.js';
import { PLUGIN_DIRS, type Volume, type VolumeMount } from './volume-types.js';

export interface VolumeManagerOptions {
  client: ApiClient;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  /** `<data-dir>/agent/pods`: the pod folders, shared with the pod workers. */
  podsDir: string;
  nodeName: string;
  nodeIP: string;
  allocatable: EnvSources['allocatable'];
  mounter?: Mounter;
  /** How often API-backed volumes are rewritten from the API (upstream: about a minute). */
  refreshMs?: number;
  /** How often folders of pods nobody runs are looked for. */
  orphanSweepMs?: number;
}

interface SetUpVolume {
  hostPath: string;
  readOnly: boolean;
  /** Rewritten from the API while the pod runs. */
  refreshed: boolean;
}

interface PodVolumes {
  pod: Pod;
  volumes: Map<string, SetUpVolume>;
  /** The last failure reported per volume, so a repeating failure is one event, not many. */
  lastError: Map<string, string>;
  lock: Promise<void>;
}

function sizeBytes(q: string | undefined): number | undefined {
  if (!q) return undefined;
  const p = parseQuantity(String(q));
  return p.ok ? Number(p.quantity.nanos / 1_000_000_000n) : undefined;
}

function podVolumes(pod: Pod): Volume[] {
  return ((pod.spec as { volumes?: Volume[] }).volumes ?? []) as Volume[];
}

export class VolumeManager {
  private readonly pods = new Map<string, PodVolumes>();
  private readonly mounter: Mounter;
  private readonly tokens: TokenManager;
  private timers: Timer[] = [];

  constructor(private readonly o: VolumeManagerOptions) {
    this.mounter = o.mounter ?? systemMounter;
    this.tokens = new TokenManager(o.client, o.clock);
  }

  start(): void {
    this.timers.push(this.o.clock.setInterval(() => void this.refreshAll(), this.o.refreshMs ?? 2000));
    this.timers.push(this.o.clock.setInterval(() => void this.sweepOrphans(), this.o.orphanSweepMs ?? 30_000));
    void this.sweepOrphans();
  }

  close(): void {
    for (const t of this.timers) t.cancel();
    this.timers = [];
  }

  private volumesDir(uid: string): string {
    return join(this.o.podsDir, uid, 'volumes');
  }

  private locked<T>(state: PodVolumes, fn: () => Promise<T>): Promise<T> {
    const run = state.lock.then(fn, fn);
    state.lock = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * Sets up what is not set up yet and refreshes the rest. Returns undefined when every volume
   * is usable, otherwise why not (the pod waits; FailedMount events name each failure).
   */
  async prepare(pod: Pod): Promise<string | undefined> {
    const uid = pod.metadata.uid!;
    let state = this.pods.get(uid);
    if (!state) {
      state = { pod, volumes: new Map(), lastError: new Map(), lock: Promise.resolve() };
      this.pods.set(uid, state);
    }
    state.pod = pod;
    const s = state;
    return this.locked(s, async () => {
      const unmounted: string[] = [];
      for (const v of podVolumes(pod)) {
        const known = s.volumes.get(v.name);
        if (known && !known.refreshed) continue;
        try {
          s.volumes.set(v.name, await this.setUp(s.pod, v));
          s.lastError.delete(v.name);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (s.lastError.get(v.name) !== message) {
            s.lastError.set(v.name, message);
            this.o.recorder.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${message}`);
          }
          // A volume that was set up once keeps its last content (upstream keeps it mounted).
          if (!known) unmounted.push(v.name);
        }
      }
      if (!unmounted.length) return undefined;
      const all = podVolumes(pod).map((v) => v.name);
      return `unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[${all.join(' ')}]: timed out waiting for the condition`;
    });
  }

  private async setUp(pod: Pod, v: Volume): Promise<SetUpVolume> {
    const uid = pod.metadata.uid!;
    const dirOf = (plugin: string) => join(this.volumesDir(uid), plugin, v.name);
    if (v.hostPath) {
      checkHostPath(v.hostPath.path, v.hostPath.type);
      return { hostPath: v.hostPath.path, readOnly: false, refreshed: false };
    }
    if (v.emptyDir) {
      const dir = dirOf(PLUGIN_DIRS.emptyDir);
      mkdirSync(dir, { recursive: true });
      if (v.emptyDir.medium === 'Memory') await this.mounter.mountTmpfs(dir, sizeBytes(v.emptyDir.sizeLimit));
      // Any user in any container of the pod may write to an emptyDir.
      chmodSync(dir, 0o777);
      return { hostPath: dir, readOnly: false, refreshed: false };
    }
    if (v.persistentVolumeClaim) return this.claimPath(pod, v.persistentVolumeClaim.claimName, v.persistentVolumeClaim.readOnly === true);
    const plugin = v.configMap ? PLUGIN_DIRS.configMap : v.secret ? PLUGIN_DIRS.secret : v.downwardAPI ? PLUGIN_DIRS.downwardAPI : v.projected ? PLUGIN_DIRS.projected : undefined;
    if (!plugin) throw new Error(`volume "${v.name}" has a volume type skiff does not support`);
    const dir = dirOf(plugin);
    mkdirSync(dir, { recursive: true });
    // The payload comes first: a missing object must not leave an empty mount behind.
    const payload = await volumePayload(pod, v, this.payloadSources(pod));
    if (plugin !== PLUGIN_DIRS.configMap) await this.mounter.mountTmpfs(dir);
    if (writeAtomically(dir, payload!, new Date(this.o.clock.now()))) this.o.log.debug('volume updated', { pod: `${pod.metadata.namespace}/${pod.metadata.name}`, volume: v.name });
    return { hostPath: dir, readOnly: v.secret !== undefined || v.configMap !== undefined || v.downwardAPI !== undefined || v.projected !== undefined, refreshed: true };
  }

  private payloadSources(pod: Pod): PayloadSources {
    const get = (r: typeof Resources.configmaps) => async (ns: string, name: string) => {
      try {
        return await this.o.client.get<KubeObject>(r, ns, name);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    };
    return {
      getConfigMap: get(Resources.configmaps),
      getSecret: get(Resources.secrets),
      token: (audience, expirationSeconds) =>
        this.tokens.token({
          namespace: pod.metadata.namespace ?? 'default',
          serviceAccount: pod.spec.serviceAccountName || 'default',
          audiences: audience ? [audience] : [],
          expirationSeconds,
          podName: pod.metadata.name!,
          podUid: pod.metadata.uid!,
        }),
      env: { nodeName: this.o.nodeName, hostIP: this.o.nodeIP, podIPs: [], allocatable: this.o.allocatable },
    };
  }

  /** A claim's bound volume: hostPath and local volumes are used where they are on the host. */
  private async claimPath(pod: Pod, claimName: string, readOnly: boolean): Promise<SetUpVolume> {
    const ns = pod.metadata.namespace ?? 'default';
    let pvc: KubeObject;
    try {
      pvc = await this.o.client.get<KubeObject>(Resources.persistentvolumeclaims, ns, claimName);
    } catch (err) {
      if (isNotFound(err)) throw new Error(`persistentvolumeclaim "${claimName}" not found`);
      throw err;
    }
    const phase = (pvc.status as { phase?: string } | undefined)?.phase ?? '';
    const volumeName = (pvc.spec as { volumeName?: string } | undefined)?.volumeName ?? '';
    if (phase !== 'Bound' || !volumeName) throw new Error(`PVC ${ns}/${claimName} has non-bound phase ("${phase}") or empty pvc.Spec.VolumeName ("${volumeName}")`);
    const pv = await this.o.client.get<KubeObject>(Resources.persistentvolumes, undefined, volumeName);
    const spec = (pv.spec ?? {}) as { hostPath?: { path: string; type?: string }; local?: { path: string } };
    if (spec.hostPath) {
      checkHostPath(spec.hostPath.path, spec.hostPath.type);
      return { hostPath: spec.hostPath.path, readOnly, refreshed: false };
    }
    if (spec.local) {
      if (!existsSync(spec.local.path)) throw new Error(`path "${spec.local.path}" does not exist`);
      return { hostPath: spec.local.path, readOnly, refreshed: false };
    }
    throw new Error(`persistentvolume "${volumeName}" has a volume type skiff does not support (only hostPath and local)`);
  }

  /** The CRI mounts of one container; call after prepare() succeeded. */
  mounts(pod: Pod, container: Container, envs: { key: string; value: string }[]): Mount[] {
    const state = this.pods.get(pod.metadata.uid!);
    const vars = new Map(envs.map((e) => [e.key, e.value]));
    const out: Mount[] = [];
    for (const vm of (container as { volumeMounts?: VolumeMount[] }).volumeMounts ?? []) {
      const vol = state?.volumes.get(vm.name);
      if (!vol) throw new ContainerConfigError(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
      let hostPath = vol.hostPath;
      const sub = vm.subPath || (vm.subPathExpr ? expandVars(vm.subPathExpr, vars) : '');
      if (sub) hostPath = this.subPath(vol.hostPath, sub);
      out.push({ container_path: vm.mountPath, host_path: hostPath, readonly: vm.readOnly === true || vol.readOnly, propagation: 'PROPAGATION_PRIVATE' });
    }
    return out;
  }

  private subPath(base: string, sub: string): string {
    if (posix.isAbsolute(sub) || sub.split('/').includes('..')) throw new ContainerConfigError(`invalid subpath "${sub}": must be a relative path without '..'`);
    const host = join(base, sub);
    if (!existsSync(host)) mkdirSync(host, { recursive: true, mode: 0o755 });
    const real = realpathSync(host);
    const realBase = realpathSync(base);
    if (real !== realBase && !real.startsWith(realBase + sep)) throw new ContainerConfigError(`subpath "${sub}" not within volume path "${base}"`);
    return real;
  }

  /** Rewrites API-backed volumes of every running pod (ConfigMap/Secret/label changes, token refresh). */
  private async refreshAll(): Promise<void> {
    await Promise.all(
      [...this.pods.values()].map((s) =>
        this.locked(s, async () => {
          for (const v of podVolumes(s.pod)) {
            if (!s.volumes.get(v.name)?.refreshed) continue;
            try {
              await this.setUp(s.pod, v);
              s.lastError.delete(v.name);
            } catch (err) {
              const message = err instanceof Error ? err.message : String(err);
              if (s.lastError.get(v.name) === message) continue;
              s.lastError.set(v.name, message);
              this.o.recorder.event(s.pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${message}`);
            }
          }
        }),
      ),
    );
  }

  /** Unmounts and removes every volume of a pod that is gone. */
  async cleanup(uid: string): Promise<void> {
    const state = this.pods.get(uid);
    const run = async () => {
      const dir = this.volumesDir(uid);
      for (const m of this.mounter.mountsUnder(dir)) await this.mounter.unmount(m);
      // Never follow a leftover mount into its content: only remove once nothing is mounted.
      if (this.mounter.mountsUnder(dir).length === 0) rmSync(dir, { recursive: true, force: true });
      else throw new Error(`volumes of pod ${uid} are still mounted`);
    };
    if (state) await this.locked(state, run);
    else await run();
    this.pods.delete(uid);
    this.tokens.forgetPod(uid);
  }

  /** Folders of pods this node no longer has (from before a restart, or a crash mid-setup). */
  private async sweepOrphans(): Promise<void> {
    let entries: string[];
    try {
      entries = readdirSync(this.o.podsDir).filter((uid) => !this.pods.has(uid) && existsSync(this.volumesDir(uid)));
    } catch {
      return;
    }
    if (!entries.length) return;
    try {
      const list = await this.o.client.list<KubeObject>(Resources.pods, undefined, { fieldSelector: `spec.nodeName=${this.o.nodeName}` });
      const known = new Set(list.items.map((p) => p.metadata.uid));
      for (const uid of entries) {
        if (known.has(uid) || this.pods.has(uid)) continue;
        this.o.log.info('removing volumes of an orphaned pod', { uid });
        await this.cleanup(uid).catch((err) => this.o.log.warn('orphaned volume cleanup failed', { uid, error: err }));
      }
    } catch (err) {
      this.o.log.debug('orphan volume sweep failed', { error: err });
    }
  }
}
