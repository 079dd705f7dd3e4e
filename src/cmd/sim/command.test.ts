import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseFlags } from '../flags.js';
import { simFlags, simOptionsFromFlags } from './command.js';
import { loadKubeconfig } from './kubeconfig.js';

test('flags become sim options', () => {
  const { values } = parseFlags(['--nodes', '5', '--name-prefix=kw', '--labels', 'a=b,c=d', '--taints', 'gpu=yes:NoSchedule,x:NoExecute', '--memory', '64Gi'], simFlags);
  const o = simOptionsFromFlags(values);
  assert.equal(o.nodes, 5);
  assert.equal(o.namePrefix, 'kw');
  assert.equal(o.memory, '64Gi');
  assert.deepEqual(o.labels, { a: 'b', c: 'd' });
  assert.deepEqual(o.taints, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }, { key: 'x', effect: 'NoExecute' }]);
  assert.throws(() => simOptionsFromFlags({ ...values, taints: ['a=b:Sometimes'] }));
  assert.throws(() => simOptionsFromFlags({ ...values, cpu: 'lots' }));
});

test('kubeconfig: current context, embedded CA and token', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-kc-'));
  try {
    const file = join(dir, 'kubeconfig.yaml');
    writeFileSync(
      file,
      `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: k
  cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')} }
users:
- name: u
  user: { token: secret }
contexts:
- name: c
  context: { cluster: k, user: u }
`,
    );
    assert.deepEqual(loadKubeconfig(file), { server: 'https://127.0.0.1:6443', ca: 'CA', cert: undefined, key: undefined, token: 'secret' });
  } finally {
    rmSync(dir, { recursive: true });
  }
});
