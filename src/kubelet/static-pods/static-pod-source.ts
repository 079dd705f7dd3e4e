/**
 * Static pods (upstream's file source plus mirror client): every Pod manifest in the manifest
 * folder runs on this node without the API. The folder is watched (fs.watch) and rescanned on
 * a Clock timer, as watch events can be missed. For each static pod a mirror pod
 * `<name>-<node>` exists in the API, annotated with the pod's hash and owned by the Node;
 * a mirror pod that is missing, outdated or being deleted is (re)created, and one whose file
 * is gone is deleted.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/object.js';
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { InformerFactory, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { MIRROR_ANNOTATION } from '../pods/pod-manager.js';
import type { Pod } from '../pods/pod-types.js';
import { CONFIG_HASH, ManifestError, staticPodFromManifest } from './manifest.js';

export interface StaticPodSourceOptions {
  dir: string;
  nodeName: string;
  client: ApiClient;
  clock: Clock;
  log: Logger;
  /** Runs (pod) or stops (undefined) a static pod. */
  run(uid: string, pod: Pod | undefined): void;
  /** A mirror pod appeared or changed (its status can be written now). */
  mirrorChanged?(staticUid: string): void;
  /** Rescan period (upstream checks files every 20 s). */
  rescanMs?: number;
}

export class StaticPodSource {
  /** Static pods by file name. */
  private readonly byFile = new Map<string, Pod>();
  private informer: Informer<Pod> | undefined;
  private watcher: FSWatcher | undefined;
  private timer: Timer | undefined;
  private scanning = false;
  private rescan = false;
  private syncing = false;
  private resync = false;
  private closed = false;
  private nodeUid: string | undefined;

  constructor(private readonly o: StaticPodSourceOptions) {}

  isStatic(uid: string): boolean {
    for (const p of this.byFile.values()) if (p.metadata.uid === uid) return true;
    return false;
  }

  /** The mirror pod of a static pod, if the API has one. */
  mirror(uid: string): KubeObject | undefined {
    const pod = [...this.byFile.values()].find((p) => p.metadata.uid === uid);
    if (!pod) return undefined;
    const m = this.informer?.store.getByName(pod.metadata.namespace, pod.metadata.name!);
    return m && m.metadata.annotations?.[MIRROR_ANNOTATION] === uid ? m : undefined;
  }

  /** Reads the folder once (before the pod manager adopts runtime leftovers), then watches it. */
  async start(signal: AbortSignal): Promise<void> {
    await mkdir(this.o.dir, { recursive: true });
    await this.scan();
    try {
      this.watcher = watch(this.o.dir, () => void this.scan());
      this.watcher.on('error', (err) => this.o.log.warn('watching the pod manifest folder failed', { error: err }));
    } catch (err) {
      this.o.log.warn('cannot watch the pod manifest folder; rescanning only', { dir: this.o.dir, error: err });
    }
    this.timer = this.o.clock.setInterval(() => void this.scan(), this.o.rescanMs ?? 20_000);
    const factory = new InformerFactory(this.o.client, this.o.clock, this.o.log);
    const informer = factory.forResource<Pod>(Resources.pods, { fieldSelector: `spec.nodeName=${this.o.nodeName}` });
    this.informer = informer;
    const changed = (p: Pod) => {
      if (!p.metadata.annotations?.[MIRROR_ANNOTATION]) return;
      void this.syncMirrors();
      const uid = p.metadata.annotations[MIRROR_ANNOTATION];
      if (this.isStatic(uid)) this.o.mirrorChanged?.(uid);
    };
    informer.addEventHandler({ onAdd: changed, onUpdate: (_o, p) => changed(p), onDelete: changed });
    factory.start(signal);
    void informer.waitForSync(signal).then(
      () => this.syncMirrors(),
      () => undefined,
    );
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.timer?.cancel();
  }

  private async scan(): Promise<void> {
    if (this.closed) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        await this.scanOnce();
      } while (this.rescan && !this.closed);
    } finally {
      this.scanning = false;
    }
    await this.syncMirrors();
  }

  private async scanOnce(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.o.dir, { withFileTypes: true })).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
    } catch (err) {
      this.o.log.warn('reading the pod manifest folder failed', { dir: this.o.dir, error: err });
      return;
    }
    const seen = new Set<string>();
    for (const name of names.sort()) {
      const file = join(this.o.dir, name);
      let pod: Pod;
      try {
        pod = staticPodFromManifest(await readFile(file, 'utf8'), file, this.o.nodeName, rfc3339(this.o.clock.now()));
      } catch (err) {
        // A file being written or not a pod: keep what runs from it, if anything.
        if (this.byFile.has(name)) seen.add(name);
        if (err instanceof ManifestError || (err as NodeJS.ErrnoException).code === 'ENOENT') this.o.log.debug('skipping pod manifest', { file, error: err });
        else this.o.log.warn('reading a pod manifest failed', { file, error: err });
        continue;
      }
      seen.add(name);
      const before = this.byFile.get(name);
      if (before?.metadata.uid === pod.metadata.uid) continue;
      if (before) {
        this.byFile.delete(name);
        this.o.run(before.metadata.uid!, undefined);
      }
      if ([...this.byFile.values()].some((p) => p.metadata.uid === pod.metadata.uid || (p.metadata.namespace === pod.metadata.namespace && p.metadata.name === pod.metadata.name))) {
        this.o.log.warn('ignoring a static pod that duplicates another one', { file, pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
        continue;
      }
      this.byFile.set(name, pod);
      this.o.log.info('static pod', { file, pod: `${pod.metadata.namespace}/${pod.metadata.name}`, uid: pod.metadata.uid });
      this.o.run(pod.metadata.uid!, pod);
    }
    for (const [name, pod] of this.byFile) {
      if (seen.has(name)) continue;
      this.byFile.delete(name);
      this.o.log.info('static pod removed', { pod: `${pod.metadata.namespace}/${pod.metadata.name}` });
      this.o.run(pod.metadata.uid!, undefined);
    }
  }

  /** Makes the API's mirror pods match the static pods. */
  private async syncMirrors(): Promise<void> {
    if (this.closed || !this.informer?.hasSynced?.()) return;
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.resync = false;
        await this.syncMirrorsOnce();
      } while (this.resync && !this.closed);
    } catch (err) {
      this.o.log.warn('syncing mirror pods failed', { error: err });
      this.o.clock.setTimeout(() => void this.syncMirrors(), 2000);
    } finally {
      this.syncing = false;
    }
  }

  private async syncMirrorsOnce(): Promise<void> {
    const mirrors = this.informer!.store.list().filter((p) => p.metadata.annotations?.[MIRROR_ANNOTATION]);
    const wanted = new Map([...this.byFile.values()].map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
    for (const m of mirrors) {
      const key = `${m.metadata.namespace}/${m.metadata.name}`;
      const pod = wanted.get(key);
      if (pod && m.metadata.annotations![MIRROR_ANNOTATION] === pod.metadata.uid && !m.metadata.deletionTimestamp) {
        wanted.delete(key);
        continue;
      }
      await this.deleteMirror(m);
    }
    for (const pod of wanted.values()) {
      if (this.informer!.store.getByName(pod.metadata.namespace, pod.metadata.name!)) continue;
      await this.createMirror(pod);
    }
  }

  private async deleteMirror(m: Pod): Promise<void> {
    try {
      await this.o.client.delete(Resources.pods, m.metadata.namespace, m.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: m.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async createMirror(pod: Pod): Promise<void> {
    if (!this.nodeUid) this.nodeUid = (await this.o.client.get<KubeObject>(Resources.nodes, undefined, this.o.nodeName)).metadata.uid;
    const { uid: _uid, ...meta } = pod.metadata;
    void _uid;
    const mirror = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...meta,
        annotations: { ...meta.annotations, [MIRROR_ANNOTATION]: pod.metadata.annotations![CONFIG_HASH] },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.o.nodeName, uid: this.nodeUid!, controller: true }],
      },
      spec: pod.spec,
    };
    try {
      await this.o.client.create(Resources.pods, pod.metadata.namespace, mirror as KubeObject);
    } catch (err) {
      // The old one is still being removed; its delete event brings another sync.
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
