import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsApiSource } from './metrics-api-source.js';

test('MetricsApiSource: sums container usage per pod from PodMetrics, selector in the query', async () => {
  const paths: string[] = [];
  const source = new MetricsApiSource({
    raw: async (_method: string, path: string) => {
      paths.push(path);
      return {
        kind: 'PodMetricsList',
        items: [
          { metadata: { name: 'a' }, containers: [{ name: 'x', usage: { cpu: '250m', memory: '1Mi' } }, { name: 'y', usage: { cpu: '500000000n', memory: '1024' } }] },
          { metadata: { name: 'b' }, containers: [{ name: 'x', usage: { cpu: '1', memory: '2Ki' } }] },
          { metadata: { name: 'incomplete' }, containers: [{ name: 'x', usage: { memory: '2Ki' } }] },
        ],
      };
    },
  });
  const got = await source.podMetrics('ns 1', 'app=web,tier in (a)');
  assert.deepEqual(paths, ['/apis/metrics.k8s.io/v1beta1/namespaces/ns%201/pods?labelSelector=app%3Dweb%2Ctier%20in%20(a)']);
  assert.deepEqual(got, [
    { pod: 'a', cpuMilli: 750, memoryBytes: 1024 * 1024 + 1024 },
    { pod: 'b', cpuMilli: 1000, memoryBytes: 2048 },
  ]);
});

test('MetricsApiSource: no metrics when the API fails', async () => {
  const source = new MetricsApiSource({ raw: async () => { throw new Error('503'); } });
  assert.equal(await source.podMetrics('ns', ''), undefined);
});
