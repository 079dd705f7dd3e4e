import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../base/clock.js';
import { Backoff } from './backoff.js';
import { expandVars, containerEnv, type EnvSources } from './env.js';
import { parseResolvConf, podDNSConfig } from './dns.js';
import { pullPolicy } from './image-puller.js';
import { renderHostsFile } from './hosts-file.js';
import type { Pod } from './pod-types.js';
import { linuxResources } from './container-config.js';

test('crash-loop backoff: 10 s doubling to 5 min, reset after a long quiet spell', () => {
  const clock = new FakeClock();
  const b = new Backoff(clock);
  assert.equal(b.remaining('k', clock.now()), 0, 'first failure restarts at once');
  b.next('k', clock.now());
  assert.equal(b.remaining('k', clock.now()), 10_000);
  b.next('k', clock.now());
  assert.equal(b.delay('k'), 20_000);
  for (let i = 0; i < 10; i++) b.next('k', clock.now());
  assert.equal(b.delay('k'), 300_000);
  clock.advance(601_000);
  b.next('k', clock.now());
  assert.equal(b.delay('k'), 10_000);
});

test('env: envFrom then env, $(VAR) expansion, downward API, optional refs', async () => {
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', labels: { app: 'web' } },
    spec: {
      nodeName: 'n1',
      containers: [
        {
          name: 'c',
          resources: { limits: { memory: '64Mi' } },
          envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }],
          env: [
            { name: 'A', value: 'x' },
            { name: 'B', value: '$(A)-$(CM_K)-$$(A)' },
            { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
            { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } },
            { name: 'OPT', valueFrom: { secretKeyRef: { name: 'missing', key: 'k', optional: true } } },
          ],
        },
      ],
    },
  };
  const src: EnvSources = {
    getConfigMap: async (_ns, name) => (name === 'cm' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { K: 'v' } } as never : undefined),
    getSecret: async (_ns, name) => (name === 's' ? { apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: { k: Buffer.from('sec').toString('base64') } } as never : undefined),
    nodeName: 'n1',
    hostIP: '1.1.1.1',
    podIPs: ['10.0.0.5'],
    allocatable: { cpu: '2', memory: '1Gi' },
  };
  const env = Object.fromEntries((await containerEnv(pod, pod.spec.containers[0], src)).map((e) => [e.key, e.value]));
  assert.deepEqual(env, { CM_K: 'v', A: 'x', B: 'x-v-$(A)', NAME: 'p', IP: '10.0.0.5', MEM: '64', CPU: '2', S: 'sec' });
  assert.equal(expandVars('$(NOPE)', new Map()), '$(NOPE)');
});

test('dns: host resolvers without cluster DNS; cluster search path with it', () => {
  const conf = parseResolvConf('nameserver 127.0.0.53\nnameserver 192.0.2.53\nsearch example.org\noptions edns0\n');
  assert.deepEqual(conf.servers, ['192.0.2.53']);
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [] } };
  const cluster = podDNSConfig(pod, { servers: ['10.43.0.10'], domain: 'cluster.local', resolvConf: '/nonexistent' });
  assert.deepEqual(cluster, { servers: ['10.43.0.10'], searches: ['ns.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
});

test('image pull policy defaults and hosts file', () => {
  assert.equal(pullPolicy({ name: 'c', image: 'busybox' }), 'Always');
  assert.equal(pullPolicy({ name: 'c', image: 'busybox:latest' }), 'Always');
  assert.equal(pullPolicy({ name: 'c', image: 'localhost:5000/busybox:1.36' }), 'IfNotPresent');
  const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'ns' }, spec: { subdomain: 'sub', hostAliases: [{ ip: '1.2.3.4', hostnames: ['a', 'b'] }], containers: [] } };
  const hosts = renderHostsFile(pod, ['10.0.0.9']);
  assert.match(hosts, /^10\.0\.0\.9\tweb\.sub\.ns\.svc\.cluster\.local\tweb$/m);
  assert.match(hosts, /^1\.2\.3\.4\ta\tb$/m);
});

test('resources: cpu shares and quota, memory limit', () => {
  const r = linuxResources({ name: 'c', resources: { requests: { cpu: '250m' }, limits: { cpu: '500m', memory: '128Mi' } } }, 'Burstable', 1 << 30);
  assert.equal(r.cpu_shares, '256');
  assert.equal(r.cpu_quota, '50000');
  assert.equal(r.memory_limit_in_bytes, String(128 * 1024 * 1024));
});
