/**
 * The HorizontalPodAutoscaler end to end with a fake MetricsSource: it scales a Deployment up
 * through its scale subresource, clamps to maxReplicas, and says so in conditions and events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { Resources } from '../../client/resources.js';
import { startCluster, until } from '../common/cluster-harness-e2e.test.js';
import { deploymentController } from '../deployment/index.js';
import { replicaSetController } from '../replicaset/index.js';
import type { ControllerContext } from '../types.js';
import { horizontalPodAutoscalerController, type MetricsSource, type PodMetric } from './index.js';

type Cond = { type: string; status: string; reason?: string };
type HpaStatus = { currentReplicas?: number; desiredReplicas?: number; lastScaleTime?: string; conditions?: Cond[]; currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[] };

test('an HPA scales a Deployment up to maxReplicas from pod CPU usage', async () => {
  // Every pod uses 200m of its 100m request: 200% against a 50% target.
  let metricsCalls = 0;
  const source: MetricsSource = {
    podMetrics: async (namespace, selector) => {
      metricsCalls++;
      const pods = (await c.client.list(Resources.pods, namespace, { labelSelector: selector })).items;
      return pods.map((p): PodMetric => ({ pod: p.metadata.name!, cpuMilli: 200, memoryBytes: 1 << 20 }));
    },
  };
  const c = await startCluster({
    controllers: [deploymentController, replicaSetController, (ctx: ControllerContext) => horizontalPodAutoscalerController(ctx, source)],
    scheduler: true,
    simNodes: 1,
  });
  try {
    await c.client.create(Resources.deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
      },
    });
    await until('web available', async () => ((await c.client.get(Resources.deployments, 'default', 'web')).status as { availableReplicas?: number } | undefined)?.availableReplicas === 2);
    await c.client.create(Resources.horizontalpodautoscalers, 'default', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
      },
    });
    // ceil(2 × 200/50) = 8; the default scale-up policy allows 2+4 = 6 in 15 s; maxReplicas caps at 5.
    const hpa = await until('HPA rescaled', async () => {
      const h = await c.client.get(Resources.horizontalpodautoscalers, 'default', 'web');
      return (h.status as HpaStatus | undefined)?.desiredReplicas === 5 ? h : undefined;
    });
    const status = hpa.status as HpaStatus;
    const cond = (type: string) => status.conditions?.find((x) => x.type === type);
    assert.deepEqual([cond('AbleToScale')?.status, cond('AbleToScale')?.reason], ['True', 'SucceededRescale']);
    assert.deepEqual([cond('ScalingActive')?.status, cond('ScalingActive')?.reason], ['True', 'ValidMetricFound']);
    assert.deepEqual([cond('ScalingLimited')?.status, cond('ScalingLimited')?.reason], ['True', 'TooManyReplicas']);
    assert.equal(status.currentMetrics?.[0]?.resource?.current?.averageUtilization, 200);
    assert.ok(status.lastScaleTime, 'lastScaleTime set');
    assert.ok(metricsCalls > 0);

    const scale = await c.client.get<KubeObject & { spec: { replicas: number }; status: { selector?: string } }>(Resources.deployments, 'default', 'web', 'scale');
    assert.equal(scale.spec.replicas, 5, 'written through the scale subresource');
    assert.equal(scale.status.selector, 'app=web');
    await until('5 pods running', async () => {
      const pods = (await c.client.list(Resources.pods, 'default', { labelSelector: 'app=web' })).items;
      return pods.length === 5 && pods.every((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
    });
    const events = (await c.client.list(Resources.events, 'default')).items as (KubeObject & { reason?: string; message?: string; involvedObject?: { kind?: string }; source?: { component?: string } })[];
    const rescale = events.find((e) => e.reason === 'SuccessfulRescale');
    assert.equal(rescale?.message, 'New size: 5; reason: cpu resource utilization (percentage of request) above target');
    assert.deepEqual([rescale?.involvedObject?.kind, rescale?.source?.component], ['HorizontalPodAutoscaler', 'horizontal-pod-autoscaler']);
  } finally {
    await c.close();
  }
});
