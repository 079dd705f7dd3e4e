/**
 * One pod's worker: reconciles the runtime towards the pod spec, level-based — whatever the
 * runtime holds now (after an agent restart, an outside kill, a crash) is the starting point.
 * Sandbox, then init containers in order, then containers; restarts per restartPolicy with
 * crash-loop backoff; graceful stop on deletion followed by the final delete; cleanup of
 * everything the pod left behind once it is gone from the API.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import { qosClass } from '../../api/pod-qos.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound as isApiNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { Resources } from '../../client/resources.js';
import { parseTime, rfc3339 } from '../../client/time-format.js';
import type { PodCgroups } from '../cgroups/pod-cgroups.js';
import type { CriClient } from '../cri/cri-client.js';
import { isNotFound } from '../cri/errors.js';
import type { Container as CriContainer, ContainerStatus, PodSandbox, PodSandboxConfig } from '../cri/types.js';
import { renderPodStatus, type ContainerView, type Waiting } from '../status/pod-status.js';
import type { StatusManager } from '../status/status-manager.js';
import type { Backoff } from './backoff.js';
import { containerConfig } from './container-config.js';
import { CONTAINER_NAME, POD_UID, PRESTOP_HANDLER } from './cri-labels.js';
import type { ClusterDNS } from './dns.js';
import { ContainerConfigError, containerEnv, type EnvSources } from './env.js';
import { renderHostsFile } from './hosts-file.js';
import { ImageWaiting, type ImagePuller } from './image-puller.js';
import { podFullName, type Container, type LifecycleHandler, type Pod } from './pod-types.js';
import { sandboxConfig } from './sandbox-config.js';
import type { VolumeManager } from '../volumes/volume-manager.js';

export interface PodWorkerDeps {
  cri: CriClient;
  client: ApiClient;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  status: StatusManager;
  backoff: Backoff;
  images: ImagePuller;
  cgroups: PodCgroups;
  nodeName: string;
  nodeIP: string;
  memoryCapacity: number;
  allocatable: EnvSources['allocatable'];
  dns: ClusterDNS;
  /** Pod log folders (`<ns>_<name>_<uid>`) live here. */
  podLogsDir: string;
  /** The agent's per-pod files (hosts file, termination messages). */
  podsDir: string;
  /** A prober's verdict; undefined means "no probe": ready when running. */
  readiness?: (podUid: string, container: string) => boolean | undefined;
  /** The prober: sees each rendered status (which instance runs where) and forgets gone pods. */
  prober?: {
    observe(pod: Pod, status: Record<string, unknown>, podIPs: string[]): void;
    forget(podUid: string): void;
    /** Whether a startup probe passed; undefined when the container has none. */
    started(podUid: string, container: string): boolean | undefined;
  };
  /** Service environment variables for a pod's containers (upstream's service links). */
  serviceEnv?: (pod: Pod) => { key: string; value: string }[];
  /** Sets up the pod's volumes before containers start and gives their CRI mounts. */
  volumes?: Pick<VolumeManager, 'prepare' | 'mounts' | 'cleanup'>;
  /** Asks for another sync of this pod after `ms`. */
  resyncAfter(uid: string, ms: number): void;
}

interface RuntimeView {
  sandboxes: PodSandbox[];
  /** Instances per container name, newest first. */
  containers: Map<string, CriContainer[]>;
}

const DEFAULT_GRACE = 30;

export class PodWorker {
  private pod: Pod | undefined;
  private running = false;
  private again = false;
  private readonly waiting = new Map<string, Waiting>();
  private readonly transitions = new Map<string, { status: string; at: number }>();
  private podIPs: string[] = [];
  private startTime: number | undefined;
  private finalDeleteSent = false;
  /** Set once the pod is gone and everything it left was removed. */
  finished = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(
    readonly uid: string,
    private readonly d: PodWorkerDeps,
  ) {}

  /** The latest pod from the API (undefined: deleted). */
  update(pod: Pod | undefined): void {
    this.pod = pod;
    this.kick();
  }

  kick(): void {
    if (this.finished) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.idle = this.loop();
  }

  whenIdle(): Promise<void> {
    return this.idle;
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.again = false;
        try {
          await this.sync();
        } catch (err) {
          this.d.log.warn('pod sync failed', { pod: this.pod ? podFullName(this.pod) : this.uid, error: err });
          this.d.resyncAfter(this.uid, 2000);
        }
      } while (this.again && !this.finished);
    } finally {
      this.running = false;
    }
  }

  private logDir(pod: KubeObject): string {
    return join(this.d.podLogsDir, `${pod.metadata.namespace}_${pod.metadata.name}_${this.uid}`);
  }

  private async runtime(): Promise<RuntimeView> {
    const selector = { label_selector: { [POD_UID]: this.uid } };
    const [sandboxes, list] = await Promise.all([this.d.cri.listPodSandbox(selector), this.d.cri.listContainers(selector)]);
    sandboxes.sort((a, b) => (BigInt(b.created_at) > BigInt(a.created_at) ? 1 : -1));
    const containers = new Map<string, CriContainer[]>();
    for (const c of list) {
      const name = c.labels[CONTAINER_NAME] ?? c.metadata?.name ?? '';
      if (!containers.has(name)) containers.set(name, []);
      containers.get(name)!.push(c);
    }
    for (const l of containers.values()) l.sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || (BigInt(b.created_at) > BigInt(a.created_at) ? 1 : -1));
    return { sandboxes, containers };
  }

  private async sync(): Promise<void> {
    const pod = this.pod;
    if (!pod) return this.cleanup();
    if (pod.metadata.deletionTimestamp) return this.terminate(pod);
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    let rt = await this.runtime();
    if ((phase === 'Succeeded' || phase === 'Failed') && !rt.sandboxes.some((s) => s.state === 'SANDBOX_READY')) return;
    this.startTime ??= parseTime((pod.status as { startTime?: string } | undefined)?.startTime) ?? this.d.clock.now();

    // Nothing starts until every volume is set up (upstream WaitForAttachAndMount); the
    // containers wait as ContainerCreating and FailedMount events say why.
    if (this.d.volumes && (await this.d.volumes.prepare(pod)) !== undefined) {
      await this.publish(pod, rt, false);
      this.d.resyncAfter(this.uid, 2000);
      return;
    }
    let sandbox = rt.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    const terminalBefore = this.terminalPhase(pod, rt);
    let config: PodSandboxConfig;
    if (!sandbox) {
      if (terminalBefore) {
        await this.publish(pod, rt, false);
        return;
      }
      // A sandbox that died takes its containers with it: start over in a new one.
      for (const list of rt.containers.values()) for (const c of list) if (c.state === 'CONTAINER_RUNNING') await this.stopContainer(pod, c, 0);
      const attempt = rt.sandboxes.length ? Math.max(...rt.sandboxes.map((s) => s.metadata?.attempt ?? 0)) + 1 : 0;
      config = this.sandboxConfig(pod, attempt);
      this.d.cgroups.ensure(config.linux!.cgroup_parent!);
      mkdirSync(config.log_directory!, { recursive: true });
      const id = await this.d.cri.runPodSandbox(config);
      rt = await this.runtime();
      sandbox = rt.sandboxes.find((s) => s.id === id);
      if (!sandbox) throw new Error(`sandbox ${id} vanished`);
    } else config = this.sandboxConfig(pod, sandbox.metadata?.attempt ?? 0);
    const status = await this.d.cri.podSandboxStatus(sandbox.id);
    const net = status.status?.network;
    this.podIPs = pod.spec.hostNetwork ? [this.d.nodeIP] : net?.ip ? [net.ip, ...net.additional_ips.map((a) => a.ip)] : [];
    const hostsFile = this.writeHostsFile(pod);

    let changed = false;
    let blocked = false;
    const policy = pod.spec.restartPolicy ?? 'Always';
    // Main containers that ever ran mean initialization finished before: sidecars that exit
    // since then restart without holding anything up.
    const initialized = pod.spec.containers.some((c) => rt.containers.has(c.name));
    for (const c of pod.spec.initContainers ?? []) {
      const latest = rt.containers.get(c.name)?.[0];
      if (c.restartPolicy === 'Always') {
        // A sidecar lets the next init container start once it runs (and its startup probe passed).
        if (latest?.state === 'CONTAINER_RUNNING') {
          if (this.d.prober?.started(this.uid, c.name) === false && !initialized) {
            blocked = true;
            break;
          }
          continue;
        }
        if (latest?.state === 'CONTAINER_EXITED') {
          const st = (await this.d.cri.containerStatus(latest.id)).status;
          changed = (await this.restart(pod, c, true, latest, st, sandbox.id, config, hostsFile)) || changed;
        } else changed = (await this.start(pod, c, true, (latest?.metadata?.attempt ?? -1) + 1, sandbox.id, config, hostsFile, latest)) || changed;
        if (initialized) continue;
        blocked = true;
        break;
      }
      if (latest?.state === 'CONTAINER_RUNNING') {
        blocked = true;
        break;
      }
      if (latest?.state === 'CONTAINER_EXITED') {
        const st = (await this.d.cri.containerStatus(latest.id)).status;
        if (st?.exit_code === 0) continue;
        if (policy === 'Never') {
          blocked = true;
          break;
        }
        changed = (await this.restart(pod, c, true, latest, st, sandbox.id, config, hostsFile)) || changed;
      } else changed = (await this.start(pod, c, true, (latest?.metadata?.attempt ?? -1) + 1, sandbox.id, config, hostsFile, latest)) || changed;
      blocked = true;
      break;
    }
    if (!blocked) {
      await Promise.all(
        pod.spec.containers.map(async (c) => {
          const latest = rt.containers.get(c.name)?.[0];
          if (latest?.state === 'CONTAINER_RUNNING') return;
          if (latest?.state === 'CONTAINER_EXITED') {
            const st = (await this.d.cri.containerStatus(latest.id)).status;
            const restart = policy === 'Always' || (policy === 'OnFailure' && st?.exit_code !== 0);
            if (!restart) return;
            if (await this.restart(pod, c, false, latest, st, sandbox!.id, config, hostsFile)) changed = true;
            return;
          }
          if (await this.start(pod, c, false, (latest?.metadata?.attempt ?? -1) + 1, sandbox!.id, config, hostsFile, latest)) changed = true;
        }),
      );
    }
    if (changed) rt = await this.runtime();
    const phaseNow = await this.publish(pod, rt, true);
    if (phaseNow === 'Succeeded' || phaseNow === 'Failed') {
      // A finished pod keeps its containers (for logs) but not its sandbox and IP.
      for (const s of rt.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.cri.stopPodSandbox(s.id).catch(() => undefined);
    }
  }

  private terminalPhase(pod: Pod, rt: RuntimeView): boolean {
    const policy = pod.spec.restartPolicy ?? 'Always';
    if (policy === 'Always' || rt.sandboxes.length === 0) return false;
    return pod.spec.containers.every((c) => rt.containers.get(c.name)?.[0]?.state === 'CONTAINER_EXITED');
  }

  private sandboxConfig(pod: Pod, attempt: number): PodSandboxConfig {
    const qos = qosClass(pod.spec as Parameters<typeof qosClass>[0]);
    return sandboxConfig({
      pod,
      attempt,
      logDirectory: this.logDir(pod),
      cgroupParent: this.d.cgroups.podCgroup(qos, this.uid),
      dns: this.d.dns,
      seenAt: rfc3339(this.d.clock.now()),
    });
  }

  private writeHostsFile(pod: Pod): string | undefined {
    if (pod.spec.hostNetwork) return undefined;
    const dir = join(this.d.podsDir, this.uid);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'etc-hosts');
    writeFileSync(file, renderHostsFile(pod, this.podIPs));
    return file;
  }

  private fieldPath(c: Container, init: boolean): string {
    return `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;
  }

  /** Restart after an exit, unless the crash-loop backoff says wait. True when something started. */
  private async restart(
    pod: Pod,
    c: Container,
    init: boolean,
    latest: CriContainer,
    st: ContainerStatus | null | undefined,
    sandboxId: string,
    config: PodSandboxConfig,
    hostsFile: string | undefined,
  ): Promise<boolean> {
    const key = `${this.uid}/${c.name}`;
    const finishedAt = st ? Math.floor(Number(BigInt(st.finished_at || '0') / 1_000_000n)) : this.d.clock.now();
    const wait = this.d.backoff.remaining(key, finishedAt);
    if (wait > 0) {
      const delay = this.d.backoff.delay(key) / 1000;
      this.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${delay}s restarting failed container=${c.name} pod=${podFullName(pod)}` });
      this.d.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${podFullName(pod)}`, this.fieldPath(c, init));
      this.d.resyncAfter(this.uid, wait + 10);
      return false;
    }
    this.d.backoff.next(key, finishedAt);
    return this.start(pod, c, init, (latest.metadata?.attempt ?? 0) + 1, sandboxId, config, hostsFile, latest);
  }

  private async start(
    pod: Pod,
    c: Container,
    init: boolean,
    attempt: number,
    sandboxId: string,
    config: PodSandboxConfig,
    hostsFile: string | undefined,
    previous: CriContainer | undefined,
  ): Promise<boolean> {
    const fieldPath = this.fieldPath(c, init);
    const ev = (type: 'Normal' | 'Warning', reason: string, message: string) => this.d.recorder.event(pod, type, reason, message, fieldPath);
    let image;
    try {
      image = await this.d.images.ensure(pod, c, fieldPath);
    } catch (err) {
      if (!(err instanceof ImageWaiting)) throw err;
      this.waiting.set(c.name, err.waiting);
      if (err.retryInMs) this.d.resyncAfter(this.uid, err.retryInMs + 10);
      return false;
    }
    const qos = qosClass(pod.spec as Parameters<typeof qosClass>[0]);
    let id: string;
    try {
      const envs = await containerEnv(pod, c, this.envSources());
      const termDir = join(this.d.podsDir, this.uid, 'containers', c.name);
      mkdirSync(termDir, { recursive: true });
      const terminationLogFile = join(termDir, String(attempt));
      writeFileSync(terminationLogFile, '');
      mkdirSync(join(config.log_directory!, c.name), { recursive: true });
      const cfg = containerConfig({
        pod,
        container: c,
        init,
        attempt,
        envs,
        imageRef: image.id,
        imageUser: { uid: image.uid ? Number(image.uid.value) : undefined, username: image.username || undefined },
        qos,
        memoryCapacity: this.d.memoryCapacity,
        hostsFile,
        terminationLogFile,
        volumeMounts: this.d.volumes?.mounts(pod, c, envs),
      });
      cfg.image.user_specified_image = c.image ?? '';
      id = await this.d.cri.createContainer(sandboxId, cfg, config);
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^CreateContainer: /, '') : String(err);
      const reason = err instanceof ContainerConfigError ? 'CreateContainerConfigError' : 'CreateContainerError';
      this.waiting.set(c.name, { reason, message });
      ev('Warning', 'Failed', `Error: ${message}`);
      this.d.resyncAfter(this.uid, 10_000);
      return false;
    }
    ev('Normal', 'Created', `Created container ${c.name}`);
    // The instance before the previous one is no longer needed (kubectl logs --previous reads the last).
    if (previous) void this.pruneOld(c.name, previous.id);
    try {
      await this.d.cri.startContainer(id);
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^StartContainer: /, '') : String(err);
      this.waiting.delete(c.name);
      ev('Warning', 'Failed', `Error: ${message}`);
      return true;
    }
    this.waiting.delete(c.name);
    ev('Normal', 'Started', `Started container ${c.name}`);
    if (c.lifecycle?.postStart) {
      const failure = await this.runHook(c.lifecycle.postStart, id, pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE);
      if (failure !== undefined) {
        ev('Warning', 'FailedPostStartHook', `PostStartHook failed: ${failure}`);
        await this.d.cri.stopContainer(id, 0).catch(() => undefined);
      }
    }
    return true;
  }

  private async pruneOld(name: string, keepId: string): Promise<void> {
    const rt = await this.runtime().catch(() => undefined);
    const list = rt?.containers.get(name) ?? [];
    for (const c of list.slice(1)) if (c.id !== keepId && c.state !== 'CONTAINER_RUNNING') await this.d.cri.removeContainer(c.id).catch(() => undefined);
  }

  /** Runs an exec/sleep hook; returns the failure message, or undefined on success. */
  private async runHook(h: LifecycleHandler, containerId: string, timeoutSeconds: number): Promise<string | undefined> {
    if (h.exec?.command?.length) {
      try {
        const r = await this.d.cri.execSync(containerId, h.exec.command, timeoutSeconds);
        if (r.exit_code !== 0) return `command '${h.exec.command.join(' ')}' exited with ${r.exit_code}: ${r.stdout.toString()}${r.stderr.toString()}`;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    } else if (h.sleep) await this.d.clock.sleep(Math.min(h.sleep.seconds, timeoutSeconds) * 1000);
    else if (h.httpGet) {
      const host = h.httpGet.host || this.podIPs[0] || '127.0.0.1';
      try {
        const res = await fetch(`${(h.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host}:${h.httpGet.port}${h.httpGet.path ?? '/'}`, {
          headers: Object.fromEntries((h.httpGet.httpHeaders ?? []).map((x) => [x.name, x.value])),
          signal: AbortSignal.timeout(timeoutSeconds * 1000),
        });
        if (res.status < 200 || res.status >= 400) return `HTTP lifecycle hook (${h.httpGet.path ?? '/'}) for Container in Pod failed with status ${res.status}`;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    }
    return undefined;
  }

  private envSources(): EnvSources {
    const get = (r: typeof Resources.configmaps) => async (ns: string, name: string) => {
      try {
        return await this.d.client.get<KubeObject>(r, ns, name);
      } catch (err) {
        if (isApiNotFound(err)) return undefined;
        throw err;
      }
    };
    return {
      getConfigMap: get(Resources.configmaps),
      getSecret: get(Resources.secrets),
      nodeName: this.d.nodeName,
      hostIP: this.d.nodeIP,
      podIPs: this.podIPs,
      allocatable: this.d.allocatable,
      serviceEnv: this.d.serviceEnv,
    };
  }

  private async stopContainer(pod: KubeObject | undefined, c: CriContainer, grace: number): Promise<void> {
    if (c.state !== 'CONTAINER_RUNNING') return;
    const name = c.labels[CONTAINER_NAME] ?? '';
    const preStop = c.annotations[PRESTOP_HANDLER];
    const started = this.d.clock.now();
    if (preStop && grace > 0) {
      const failure = await this.runHook(JSON.parse(preStop) as LifecycleHandler, c.id, grace);
      if (failure !== undefined && pod) this.d.recorder.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: ${failure}`, `spec.containers{${name}}`);
    }
    if (pod) this.d.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${name}`, `spec.containers{${name}}`);
    const left = Math.max(grace > 0 ? 2 : 0, grace - Math.floor((this.d.clock.now() - started) / 1000));
    try {
      await this.d.cri.stopContainer(c.id, left);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Graceful deletion: stop everything within the grace period, then the final delete. */
  private async terminate(pod: Pod): Promise<void> {
    const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_GRACE;
    const rt = await this.runtime();
    // Sidecars outlive the main containers: they stop last.
    const sidecars = new Set((pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
    const stopAll = (sidecar: boolean) =>
      Promise.all([...rt.containers].filter(([name]) => sidecars.has(name) === sidecar).flatMap(([, list]) => list.map((c) => this.stopContainer(pod, c, grace))));
    await stopAll(false);
    await stopAll(true);
    for (const s of rt.sandboxes) if (s.state === 'SANDBOX_READY') await this.d.cri.stopPodSandbox(s.id);
    await this.publish(pod, await this.runtime(), false);
    if (this.finalDeleteSent) return;
    try {
      await this.d.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
      this.finalDeleteSent = true;
    } catch (err) {
      if (isApiNotFound(err)) this.finalDeleteSent = true;
      else throw err;
    }
  }

  /** The pod is gone from the API: remove its containers, sandboxes, cgroups and files. */
  private async cleanup(): Promise<void> {
    const rt = await this.runtime();
    const grace = 2;
    await Promise.all([...rt.containers.values()].flatMap((list) => list.map((c) => this.stopContainer(undefined, c, grace))));
    for (const list of rt.containers.values()) for (const c of list) await this.d.cri.removeContainer(c.id).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    let logDir: string | undefined;
    for (const s of rt.sandboxes) {
      const m = s.metadata;
      if (m) logDir = join(this.d.podLogsDir, `${m.namespace}_${m.name}_${this.uid}`);
      await this.d.cri.stopPodSandbox(s.id).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
      await this.d.cri.removePodSandbox(s.id).catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
    }
    const cgroup = this.d.cgroups.podUids().get(this.uid);
    if (cgroup) this.d.cgroups.remove(cgroup);
    if (logDir) rmSync(logDir, { recursive: true, force: true });
    // Volumes first: removing the pod folder must never reach into a mount.
    await this.d.volumes?.cleanup(this.uid);
    rmSync(join(this.d.podsDir, this.uid), { recursive: true, force: true });
    this.d.status.forget(this.uid);
    this.d.prober?.forget(this.uid);
    this.d.backoff.forgetPrefix(`${this.uid}/`);
    this.d.images.forget(this.uid);
    this.finished = true;
  }

  private async publish(pod: Pod, rt: RuntimeView, sandboxReadyHint: boolean): Promise<string> {
    const views = async (list: Container[], init: boolean): Promise<ContainerView[]> =>
      Promise.all(
        list.map(async (c) => {
          const instances = rt.containers.get(c.name) ?? [];
          const latest = instances[0] ? ((await this.d.cri.containerStatus(instances[0].id).catch(() => undefined))?.status ?? undefined) : undefined;
          const previous = instances[1] ? ((await this.d.cri.containerStatus(instances[1].id).catch(() => undefined))?.status ?? undefined) : undefined;
          let waiting = this.waiting.get(c.name);
          if (latest?.state === 'CONTAINER_RUNNING') waiting = undefined;
          if (!latest && !waiting && init === false && (pod.spec.initContainers ?? []).length) waiting = { reason: 'PodInitializing' };
          if (!latest && !waiting && init) waiting = { reason: 'PodInitializing' };
          const probe = this.d.readiness?.(this.uid, c.name);
          const running = latest?.state === 'CONTAINER_RUNNING';
          return { name: c.name, image: c.image ?? '', latest, previous, waiting, ready: running && probe !== false, sidecar: init && c.restartPolicy === 'Always' };
        }),
      );
    const [init, main] = await Promise.all([views(pod.spec.initContainers ?? [], true), views(pod.spec.containers, false)]);
    // The first init container waits as PodInitializing only until the sandbox exists.
    const firstInit = init.find((v) => !v.latest);
    if (firstInit && firstInit === init[0] && firstInit.waiting?.reason === 'PodInitializing' && !this.waiting.has(firstInit.name)) firstInit.waiting = { reason: 'PodInitializing' };
    const sandboxReady = sandboxReadyHint && rt.sandboxes.some((s) => s.state === 'SANDBOX_READY');
    const status = renderPodStatus(pod, {
      init,
      main,
      podIPs: this.podIPs.length ? this.podIPs : ((pod.status as { podIPs?: { ip: string }[] } | undefined)?.podIPs ?? []).map((p) => p.ip),
      hostIP: this.d.nodeIP,
      startTime: this.startTime ?? this.d.clock.now(),
      sandboxReady,
      transitions: this.transitions,
      now: this.d.clock.now(),
    });
    this.d.status.set(pod.metadata.namespace ?? 'default', pod.metadata.name!, this.uid, status, pod.status as Record<string, unknown> | undefined);
    this.d.prober?.observe(pod, status, this.podIPs);
    return status.phase as string;
  }
}
