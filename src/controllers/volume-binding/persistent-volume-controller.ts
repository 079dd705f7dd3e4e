/**
 * The PersistentVolume binder (upstream pkg/controller/volume/persistentvolume, the binding
 * half; nothing here provisions or deletes storage). Pending claims get the smallest fitting
 * pre-created volume; a volume whose claim is gone is Released (Retain) or Failed (nobody here
 * can delete it). One worker, plus an "assumed" overlay of our own writes, keeps two claims from
 * getting the same volume while the cache catches up.
 */
import type { KubeObject } from '../../api/object.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { WorkQueue } from '../../client/workqueue.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { BETA_CLASS_ANNOTATION, claimClass, findBestMatch, isVolumeBoundToClaim, mismatch, pvcSpec, pvSpec, type ClaimRef } from './matching.js';
import { volumeFitsNode } from './node-affinity.js';

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const ANN_DYNAMICALLY_PROVISIONED = 'pv.kubernetes.io/provisioned-by';

const phaseOf = (o: KubeObject): string | undefined => ((o.status ?? {}) as { phase?: string }).phase;

export class PersistentVolumeBinderController implements Controller {
  readonly name = 'persistentvolume-binder-controller';
  readonly volumes: Informer;
  readonly claims: Informer;
  readonly classes: Informer;
  readonly nodes: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  /** Volumes as we last wrote them, until the cache shows that write (or a newer one). */
  private readonly assumed = new Map<string, KubeObject>();

  constructor(ctx: ControllerContext) {
    this.client = ctx.client;
    this.log = ctx.log;
    this.recorder = ctx.recorder('persistentvolume-controller');
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.volumes = ctx.informers.forResource(Resources.persistentvolumes);
    this.claims = ctx.informers.forResource(Resources.persistentvolumeclaims);
    this.classes = ctx.informers.forResource(Resources.storageclasses);
    this.nodes = ctx.informers.forResource(Resources.nodes);
    const volumeChanged = (pv: KubeObject) => {
      const a = this.assumed.get(pv.metadata.name!);
      if (a && Number(pv.metadata.resourceVersion) >= Number(a.metadata.resourceVersion)) this.assumed.delete(pv.metadata.name!);
      this.queue.add(`pv:${pv.metadata.name}`);
      const ref = pvSpec(pv).claimRef;
      if (ref?.name) this.queue.add(`pvc:${ref.namespace}/${ref.name}`);
      else for (const c of this.claims.store.list()) if (!pvcSpec(c).volumeName) this.queue.add(`pvc:${keyOf(c)}`);
    };
    this.volumes.addEventHandler({ onAdd: volumeChanged, onUpdate: (_o, n) => volumeChanged(n), onDelete: (pv) => {
      this.assumed.delete(pv.metadata.name!);
      const ref = pvSpec(pv).claimRef;
      if (ref?.name) this.queue.add(`pvc:${ref.namespace}/${ref.name}`);
    } });
    const claimChanged = (c: KubeObject) => {
      this.queue.add(`pvc:${keyOf(c)}`);
      const v = pvcSpec(c).volumeName;
      if (v) this.queue.add(`pv:${v}`);
    };
    this.claims.addEventHandler({ onAdd: claimChanged, onUpdate: (_o, n) => claimChanged(n), onDelete: (c) => {
      for (const pv of this.volumes.store.list()) if (pvSpec(pv).claimRef?.uid === c.metadata.uid) this.queue.add(`pv:${pv.metadata.name}`);
    } });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.volumes, this.claims, this.classes, this.nodes], queue: this.queue, workers: 1, log: this.log, sync: (k) => this.sync(k) });
  }

  sync(key: string): Promise<void> {
    return key.startsWith('pv:') ? this.syncVolume(key.slice(3)) : this.syncClaim(key.slice(4));
  }

  private volume(name: string): KubeObject | undefined {
    return this.assumed.get(name) ?? this.volumes.store.get(name);
  }

  private allVolumes(): KubeObject[] {
    return this.volumes.store.list().map((v) => this.assumed.get(v.metadata.name!) ?? v);
  }

  private defaultClass(): string | undefined {
    const defaults = this.classes.store.list().filter((c) => c.metadata.annotations?.[ANN_DEFAULT_CLASS] === 'true');
    defaults.sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
    return defaults[0]?.metadata.name;
  }

  async syncClaim(key: string): Promise<void> {
    const pvc = this.claims.store.get(key);
    if (!pvc || pvc.metadata.deletionTimestamp) return;
    const spec = pvcSpec(pvc);
    if (pvc.metadata.annotations?.[ANN_BIND_COMPLETED]) return this.syncBoundClaim(pvc);

    // Retroactive default class (upstream 1.28+): unset class on an unbound claim gets the default.
    if (spec.storageClassName === undefined && pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION] === undefined) {
      const def = this.defaultClass();
      if (def) {
        await this.client.update(Resources.persistentvolumeclaims, { ...pvc, spec: { ...spec, storageClassName: def } });
        return;
      }
    }

    if (spec.volumeName) {
      const pv = this.volume(spec.volumeName);
      if (!pv) return this.setClaimPhase(pvc, 'Pending');
      const ref = pvSpec(pv).claimRef;
      if (ref && !isVolumeBoundToClaim(pv, pvc)) {
        this.recorder.event(pvc, 'Warning', 'FailedBinding', 'volume already bound to a different claim.');
        return this.setClaimPhase(pvc, 'Pending');
      }
      const why = ref ? undefined : mismatch(pv, pvc);
      if (why) {
        this.recorder.event(pvc, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${spec.volumeName}": ${why}`);
        return this.setClaimPhase(pvc, 'Pending');
      }
      return this.bind(pv, pvc, false);
    }

    const className = claimClass(pvc);
    const sc = className ? this.classes.store.get(className) : undefined;
    const delay = (sc as { volumeBindingMode?: string } | undefined)?.volumeBindingMode === 'WaitForFirstConsumer';
    const selectedNode = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
    const node = selectedNode ? this.nodes.store.get(selectedNode) : undefined;
    const pv = findBestMatch(pvc, this.allVolumes(), delay && !selectedNode, (v) => !selectedNode || volumeFitsNode(v, node, selectedNode));
    if (pv) return this.bind(pv, pvc, true);

    if (delay && !selectedNode) {
      this.recorder.event(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    } else if (className) {
      if (!sc) this.recorder.event(pvc, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      else await this.waitForProvisioner(pvc, (sc as { provisioner?: string }).provisioner ?? '');
    } else {
      this.recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    }
    return this.setClaimPhase(pvc, 'Pending');
  }

  /** Nothing here provisions: tell the class's (external) provisioner the claim is theirs. */
  private async waitForProvisioner(pvc: KubeObject, provisioner: string): Promise<void> {
    this.recorder.event(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    const ann = pvc.metadata.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] === provisioner) return;
    await this.client.update(Resources.persistentvolumeclaims, {
      ...pvc,
      metadata: { ...pvc.metadata, annotations: { ...ann, [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } },
    });
  }

  private async syncBoundClaim(pvc: KubeObject): Promise<void> {
    const name = pvcSpec(pvc).volumeName;
    const pv = name ? this.volume(name) : undefined;
    if (!pv) {
      if (phaseOf(pvc) !== 'Lost') this.recorder.event(pvc, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      return this.setClaimPhase(pvc, 'Lost');
    }
    if (!pvSpec(pv).claimRef) return this.bind(pv, pvc, false);
    if (!isVolumeBoundToClaim(pv, pvc)) {
      if (phaseOf(pvc) !== 'Lost') this.recorder.event(pvc, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
      return this.setClaimPhase(pvc, 'Lost');
    }
    return this.bind(pv, pvc, false);
  }

  /** Upstream bind(): volume's claimRef, volume phase, claim's volumeName, claim status — each only when needed. */
  private async bind(pv: KubeObject, pvc: KubeObject, byController: boolean): Promise<void> {
    let volume = pv;
    const ref = pvSpec(volume).claimRef;
    if (!ref || ref.uid !== pvc.metadata.uid) {
      const claimRef: ClaimRef = { kind: 'PersistentVolumeClaim', namespace: pvc.metadata.namespace, name: pvc.metadata.name, uid: pvc.metadata.uid, apiVersion: 'v1', resourceVersion: pvc.metadata.resourceVersion };
      const annotations = { ...(volume.metadata.annotations ?? {}) };
      if (!ref) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      volume = await this.client.update(Resources.persistentvolumes, { ...volume, metadata: { ...volume.metadata, annotations }, spec: { ...pvSpec(volume), claimRef } });
      this.assumed.set(volume.metadata.name!, volume);
    }
    if (phaseOf(volume) !== 'Bound') {
      volume = await this.client.updateStatus(Resources.persistentvolumes, { ...volume, status: { ...(volume.status as object), phase: 'Bound' } });
      this.assumed.set(volume.metadata.name!, volume);
    }
    let claim = pvc;
    const ann = claim.metadata.annotations ?? {};
    if (pvcSpec(claim).volumeName !== volume.metadata.name || ann[ANN_BIND_COMPLETED] !== 'yes') {
      const annotations: Record<string, string> = { ...ann, [ANN_BIND_COMPLETED]: 'yes' };
      if (byController && !pvcSpec(claim).volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      claim = await this.client.update(Resources.persistentvolumeclaims, { ...claim, metadata: { ...claim.metadata, annotations }, spec: { ...pvcSpec(claim), volumeName: volume.metadata.name } });
    }
    const status = (claim.status ?? {}) as { phase?: string; capacity?: unknown; accessModes?: unknown };
    const want = { phase: 'Bound', accessModes: pvSpec(volume).accessModes, capacity: pvSpec(volume).capacity };
    if (status.phase !== 'Bound' || JSON.stringify(status.capacity) !== JSON.stringify(want.capacity) || JSON.stringify(status.accessModes) !== JSON.stringify(want.accessModes)) {
      await this.client.updateStatus(Resources.persistentvolumeclaims, { ...claim, status: { ...status, ...want } });
    }
  }

  private async setClaimPhase(pvc: KubeObject, phase: string): Promise<void> {
    if (phaseOf(pvc) === phase) return;
    await this.client.updateStatus(Resources.persistentvolumeclaims, { ...pvc, status: { ...((pvc.status ?? {}) as object), phase } });
  }

  async syncVolume(name: string): Promise<void> {
    await this.syncVolumeInner(name);
  }

  private async syncVolumeInner(name: string): Promise<unknown> {
    const pv = this.volume(name);
    if (!pv || pv.metadata.deletionTimestamp) return;
    const ref = pvSpec(pv).claimRef;
    if (!ref || !ref.uid) return this.setVolumePhase(pv, 'Available');
    const claim = this.claims.store.getByName(ref.namespace, ref.name ?? '');
    if (claim && claim.metadata.uid === ref.uid) {
      const volumeName = pvcSpec(claim).volumeName;
      if (volumeName === name) return this.setVolumePhase(pv, 'Bound');
      if (volumeName && pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
        // We bound this volume to a claim that went to another volume: undo our half.
        const annotations = { ...(pv.metadata.annotations ?? {}) };
        delete annotations[ANN_BOUND_BY_CONTROLLER];
        const updated = await this.client.update(Resources.persistentvolumes, { ...pv, metadata: { ...pv.metadata, annotations }, spec: { ...pvSpec(pv), claimRef: undefined } });
        this.assumed.set(name, updated);
        return this.setVolumePhase(updated, 'Available');
      }
      return;
    }
    // The claim is gone: the volume is released and its reclaim policy applies.
    const phase = phaseOf(pv);
    if (phase === 'Released' || phase === 'Failed') return;
    const policy = pvSpec(pv).persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') {
      await this.setVolumePhase(pv, 'Released');
      return;
    }
    if (pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) {
      // An external provisioner deletes what it provisioned once the volume is Released.
      await this.setVolumePhase(pv, 'Released');
      return;
    }
    const released = await this.setVolumePhase(pv, 'Released');
    const what = policy === 'Recycle' ? 'recycler' : 'deleter';
    const message = `error getting ${what} volume plugin for volume "${name}": no ${policy === 'Recycle' ? 'recyclable' : 'deletable'} volume plugin matched`;
    this.recorder.event(pv, 'Warning', policy === 'Recycle' ? 'VolumeFailedRecycle' : 'VolumeFailedDelete', message);
    await this.setVolumePhase(released, 'Failed', message);
  }

  private async setVolumePhase(pv: KubeObject, phase: string, message?: string): Promise<KubeObject> {
    if (phaseOf(pv) === phase) return pv;
    try {
      const updated = await this.client.updateStatus<KubeObject>(Resources.persistentvolumes, { ...pv, status: { ...((pv.status ?? {}) as object), phase, ...(message ? { message } : {}) } });
      this.assumed.set(updated.metadata.name!, updated);
      return updated;
    } catch (err) {
      if (isNotFound(err)) return pv;
      throw err;
    }
  }
}
