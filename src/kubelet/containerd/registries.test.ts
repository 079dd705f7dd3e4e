import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRegistryHosts } from './registries.js';

test('registries.yaml becomes hosts.toml per registry', () => {
  const cases: { name: string; file: Parameters<typeof renderRegistryHosts>[0]; want: Record<string, string> }[] = [
    {
      name: 'plain-http mirror for docker.io',
      file: { mirrors: { 'docker.io': { endpoint: ['http://127.0.0.1:5000'] } } },
      want: {
        'docker.io': 'server = "https://registry-1.docker.io"\n\n[host."http://127.0.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n',
      },
    },
    {
      name: 'mirror with TLS config and a bare host endpoint',
      file: {
        mirrors: { 'quay.io': { endpoint: ['reg.local:5443'] } },
        configs: { 'reg.local:5443': { tls: { ca_file: '/ca.pem', insecure_skip_verify: true } } },
      },
      want: {
        'quay.io':
          'server = "https://quay.io"\n\n[host."https://reg.local:5443"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n  ca = "/ca.pem"\n',
        'reg.local:5443':
          'server = "https://reg.local:5443"\n\n[host."https://reg.local:5443"]\n  capabilities = ["pull", "resolve", "push"]\n  skip_verify = true\n  ca = "/ca.pem"\n',
      },
    },
    {
      name: 'wildcard mirror goes to _default',
      file: { mirrors: { '*': { endpoint: ['http://10.0.0.1:5000'] } } },
      want: { _default: '[host."http://10.0.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n' },
    },
  ];
  for (const c of cases) {
    assert.deepEqual(Object.fromEntries(renderRegistryHosts(c.file)), c.want, c.name);
  }
});
