import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podServiceEnv, serviceVars } from './service-env.js';

const svc = (namespace: string, name: string, clusterIP: string, ports: { name?: string; port: number; protocol?: string }[]) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace, name },
  spec: { clusterIP, ports },
});

test('service vars follow upstream naming', () => {
  const env = Object.fromEntries(serviceVars(svc('ns', 'vault-ui', '10.0.0.7', [{ name: 'http-api', port: 8200 }, { port: 53, protocol: 'UDP' }])).map((e) => [e.key, e.value]));
  assert.deepEqual(env, {
    VAULT_UI_SERVICE_HOST: '10.0.0.7',
    VAULT_UI_SERVICE_PORT: '8200',
    VAULT_UI_SERVICE_PORT_HTTP_API: '8200',
    VAULT_UI_PORT: 'tcp://10.0.0.7:8200',
    VAULT_UI_PORT_8200_TCP: 'tcp://10.0.0.7:8200',
    VAULT_UI_PORT_8200_TCP_PROTO: 'tcp',
    VAULT_UI_PORT_8200_TCP_PORT: '8200',
    VAULT_UI_PORT_8200_TCP_ADDR: '10.0.0.7',
    VAULT_UI_PORT_53_UDP: 'udp://10.0.0.7:53',
    VAULT_UI_PORT_53_UDP_PROTO: 'udp',
    VAULT_UI_PORT_53_UDP_PORT: '53',
    VAULT_UI_PORT_53_UDP_ADDR: '10.0.0.7',
  });
});

test('which services a pod sees', () => {
  const all = [
    svc('default', 'kubernetes', '10.0.0.1', [{ name: 'https', port: 443 }]),
    svc('default', 'other', '10.0.0.2', [{ port: 80 }]),
    svc('app', 'web', '10.0.0.3', [{ port: 80 }]),
    svc('app', 'headless', 'None', [{ port: 80 }]),
    svc('app', 'noip', '', [{ port: 80 }]),
  ];
  const cases: { links: boolean | undefined; want: string[] }[] = [
    { links: undefined, want: ['WEB_SERVICE_HOST', 'KUBERNETES_SERVICE_HOST'] },
    { links: true, want: ['WEB_SERVICE_HOST', 'KUBERNETES_SERVICE_HOST'] },
    { links: false, want: ['KUBERNETES_SERVICE_HOST'] },
  ];
  for (const c of cases) {
    const hosts = podServiceEnv('app', c.links, all)
      .filter((e) => e.key.endsWith('_SERVICE_HOST'))
      .map((e) => e.key);
    assert.deepEqual(hosts, c.want, `enableServiceLinks=${c.links}`);
  }
  const inDefault = podServiceEnv('default', undefined, all).filter((e) => e.key.endsWith('_SERVICE_HOST')).map((e) => e.key);
  assert.deepEqual(inDefault, ['KUBERNETES_SERVICE_HOST', 'OTHER_SERVICE_HOST']);
});
