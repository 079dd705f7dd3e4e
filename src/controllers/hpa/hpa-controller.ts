/**
 * The horizontal pod autoscaler (upstream pkg/controller/podautoscaler), autoscaling/v2 with
 * Resource metrics (cpu, memory; Utilization or AverageValue) from a pluggable MetricsSource.
 * Each HPA is reconciled every 15 s: read the target's scale subresource, compute a
 * recommendation, normalize it by behavior and min/max, rescale, write status.
 */
import { deepEqual, type KubeObject } from '../../api/object.js';
import { parseQuantity } from '../../api/quantity.js';
import { matchesLabels, parseLabelSelector } from '../../api/selectors/label-selector.js';
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { ApiClient } from '../../client/client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { keyOf, type Informer } from '../../client/informer.js';
import { Resources, type ResourceRef } from '../../client/resources.js';
import { rfc3339 } from '../../client/time-format.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isPodReady } from '../common/pods.js';
import { runQueue } from '../common/run-controller.js';
import type { Controller, ControllerContext } from '../types.js';
import { normalize, type Behavior, type Recommendation, type ScaleEvent } from './behavior.js';
import { noMetricsSource, type MetricsSource } from './metrics-source.js';
import { computeReplicas, type PodSample } from './replica-calculator.js';

const RESYNC_MS = 15_000;

interface MetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: string } };
}

interface HpaSpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: MetricSpec[];
  behavior?: Behavior;
}

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

const KNOWN_TARGETS: Record<string, ResourceRef> = {
  Deployment: Resources.deployments,
  ReplicaSet: Resources.replicasets,
  StatefulSet: Resources.statefulsets,
  ReplicationController: Resources.replicationcontrollers,
};

function targetRef(ref: HpaSpec['scaleTargetRef']): ResourceRef {
  const known = KNOWN_TARGETS[ref.kind];
  if (known) return known;
  const [group, version] = (ref.apiVersion ?? 'v1').includes('/') ? (ref.apiVersion as string).split('/') : ['', ref.apiVersion ?? 'v1'];
  return { group, version, resource: `${ref.kind.toLowerCase()}s`, kind: ref.kind, namespaced: true };
}

function quantity(q: string | undefined, milli: boolean): number {
  if (!q) return 0;
  const r = parseQuantity(q);
  if (!r.ok) return 0;
  return milli ? r.quantity.milliValue() : r.quantity.value();
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontal-pod-autoscaler-controller';
  readonly hpas: Informer;
  readonly pods: Informer;
  private readonly queue: WorkQueue<string>;
  private readonly client: ApiClient;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleEvents = new Map<string, ScaleEvent[]>();

  constructor(ctx: ControllerContext, private readonly source: MetricsSource = noMetricsSource) {
    this.client = ctx.client;
    this.clock = ctx.clock;
    this.log = ctx.log;
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.queue = new WorkQueue({ clock: ctx.clock });
    this.hpas = ctx.informers.forResource(Resources.horizontalpodautoscalers);
    this.pods = ctx.informers.forResource(Resources.pods);
    this.hpas.addEventHandler({
      onAdd: (h) => this.queue.add(keyOf(h)),
      onUpdate: (o, n) => {
        if (!deepEqual(o.spec, n.spec)) this.queue.add(keyOf(n));
      },
      onDelete: (h) => {
        this.recommendations.delete(keyOf(h));
        this.scaleEvents.delete(keyOf(h));
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return runQueue({ name: this.name, signal, informers: [this.hpas, this.pods], queue: this.queue, workers: 2, log: this.log, sync: (k) => this.sync(k) });
  }

  async sync(key: string): Promise<void> {
    const hpa = this.hpas.store.get(key);
    if (!hpa || hpa.metadata.deletionTimestamp) return;
    try {
      await this.reconcile(key, hpa);
    } finally {
      this.queue.addAfter(key, RESYNC_MS);
    }
  }

  private async reconcile(key: string, hpa: KubeObject): Promise<void> {
    const spec = hpa.spec as HpaSpec;
    const ns = hpa.metadata.namespace!;
    const ref = targetRef(spec.scaleTargetRef);
    const now = this.clock.now();
    const conditions: Condition[] = [];
    const old = (hpa.status ?? {}) as Record<string, unknown>;
    let scale: Scale;
    try {
      scale = await this.client.get<Scale>(ref, ns, spec.scaleTargetRef.name, 'scale');
    } catch (err) {
      const message = `the HPA controller was unable to get the target's current scale: ${(err as Error).message}`;
      this.recorder.event(hpa, 'Warning', 'FailedGetScale', (err as Error).message);
      conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message });
      await this.writeStatus(hpa, { ...old, currentReplicas: old.currentReplicas ?? 0, desiredReplicas: old.desiredReplicas ?? 0 }, conditions);
      return;
    }
    const current = scale.spec?.replicas ?? 0;
    const min = spec.minReplicas ?? 1;
    let desired = current;
    let reason = '';
    let currentMetrics: unknown[] | undefined = old.currentMetrics as unknown[] | undefined;
    let active: Condition;
    let limited: Condition = { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
    let ableReason = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };

    if (current === 0 && min !== 0) {
      desired = 0;
      active = { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' };
    } else {
      const computed = await this.computeFromMetrics(hpa, spec, scale, current);
      if ('error' in computed) {
        this.recorder.event(hpa, 'Warning', computed.reason, computed.error);
        active = { type: 'ScalingActive', status: 'False', reason: computed.reason, message: `the HPA was unable to compute the replica count: ${computed.error}` };
        conditions.push({ type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: 'the HPA controller was able to get the target\'s current scale' }, active);
        await this.writeStatus(hpa, { ...old, currentReplicas: current, desiredReplicas: old.desiredReplicas ?? current, currentMetrics: undefined }, conditions);
        return;
      }
      currentMetrics = computed.metrics;
      active = { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${computed.metricName}` };
      const recs = (this.recommendations.get(key) ?? []).filter((r) => r.at > now - 3600_000);
      const events = (this.scaleEvents.get(key) ?? []).filter((e) => e.at > now - 3600_000);
      const n = normalize({ current, desired: computed.replicas, min, max: spec.maxReplicas, behavior: spec.behavior, recommendations: recs, events, now });
      recs.push({ replicas: computed.replicas, at: now });
      this.recommendations.set(key, recs);
      this.scaleEvents.set(key, events);
      desired = n.replicas;
      if (n.limited) limited = { type: 'ScalingLimited', status: 'True', ...n.limited };
      if (n.stabilized && desired === current) ableReason = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
      reason = desired > current ? `${computed.metricName} above target` : 'All metrics below target';
    }

    let lastScaleTime = old.lastScaleTime;
    if (desired !== current) {
      try {
        await this.client.update(ref, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: scale.metadata, spec: { replicas: desired } }, { subresource: 'scale' });
      } catch (err) {
        this.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${(err as Error).message}`);
        conditions.push({ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${(err as Error).message}` }, active, limited);
        await this.writeStatus(hpa, { ...old, currentReplicas: current, desiredReplicas: current, currentMetrics }, conditions);
        throw err;
      }
      this.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      this.scaleEvents.get(key)?.push({ change: desired - current, at: now });
      lastScaleTime = rfc3339(now);
      ableReason = { reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desired}` };
    }
    conditions.push({ type: 'AbleToScale', status: 'True', ...ableReason }, active, limited);
    await this.writeStatus(hpa, { observedGeneration: hpa.metadata.generation, lastScaleTime, currentReplicas: current, desiredReplicas: desired, currentMetrics }, conditions);
  }

  private async computeFromMetrics(hpa: KubeObject, spec: HpaSpec, scale: Scale, current: number): Promise<{ replicas: number; metricName: string; metrics: unknown[] } | { error: string; reason: string }> {
    const ns = hpa.metadata.namespace!;
    const selectorText = scale.status?.selector ?? '';
    const selector = parseLabelSelector(selectorText);
    const pods = this.pods.store.listNamespace(ns).filter((p) => matchesLabels(selector, p.metadata.labels) && !p.metadata.deletionTimestamp && (p.status as { phase?: string } | undefined)?.phase !== 'Failed');
    let best: { replicas: number; metricName: string } | undefined;
    const metrics: unknown[] = [];
    for (const m of spec.metrics?.length ? spec.metrics : [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]) {
      if (m.type !== 'Resource' || !m.resource) return { error: `unsupported metric source type "${m.type}"`, reason: 'InvalidMetricSourceType' };
      const { name, target } = m.resource;
      const cpu = name === 'cpu';
      const usage = await this.source.podMetrics(ns, selectorText);
      if (!usage || usage.length === 0) return { error: `failed to get ${name} utilization: unable to get metrics for resource ${name}: no metrics returned from resource metrics API`, reason: 'FailedGetResourceMetric' };
      const byPod = new Map(usage.map((u) => [u.pod, cpu ? u.cpuMilli : u.memoryBytes]));
      const utilization = target.type === 'Utilization';
      const samples: PodSample[] = [];
      for (const pod of pods) {
        let request = 0;
        for (const c of ((pod.spec ?? {}) as { containers?: { name: string; resources?: { requests?: Record<string, string> } }[] }).containers ?? []) {
          const r = c.resources?.requests?.[name];
          if (r === undefined && utilization) return { error: `failed to get ${name} utilization: missing request for ${name} in container ${c.name} of Pod ${pod.metadata.name}`, reason: 'FailedGetResourceMetric' };
          request += quantity(r, cpu);
        }
        // Upstream only discounts unready pods for cpu (startup spikes); memory counts as is.
        samples.push({ usage: byPod.get(pod.metadata.name!), request, ready: !cpu || isPodReady(pod) });
      }
      let computed;
      try {
        const targetValue = utilization ? target.averageUtilization ?? 80 : quantity(target.averageValue, cpu);
        computed = computeReplicas(current, samples, targetValue, utilization);
      } catch (err) {
        return { error: `failed to get ${name} utilization: ${(err as Error).message}`, reason: 'FailedGetResourceMetric' };
      }
      const metricName = utilization ? `${name} resource utilization (percentage of request)` : `${name} resource`;
      const avgValue = cpu ? `${Math.round(utilization ? avgUsage(samples) : computed.current)}m` : `${Math.round(utilization ? avgUsage(samples) : computed.current)}`;
      metrics.push({ type: 'Resource', resource: { name, current: utilization ? { averageUtilization: computed.current, averageValue: avgValue } : { averageValue: avgValue } } });
      if (!best || computed.replicas > best.replicas) best = { replicas: computed.replicas, metricName };
    }
    return { ...best!, metrics };
  }

  private async writeStatus(hpa: KubeObject, status: Record<string, unknown>, conds: Condition[]): Promise<void> {
    const old = ((hpa.status ?? {}) as { conditions?: Condition[] }).conditions ?? [];
    const now = rfc3339(this.clock.now());
    const conditions = conds.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : now };
    });
    const next = { ...status, conditions };
    if (deepEqual(hpa.status ?? {}, next)) return;
    await this.client.updateStatus(Resources.horizontalpodautoscalers, { ...hpa, status: next });
  }
}

function avgUsage(samples: PodSample[]): number {
  const m = samples.filter((s) => s.usage !== undefined);
  return m.length ? m.reduce((a, s) => a + s.usage!, 0) / m.length : 0;
}


