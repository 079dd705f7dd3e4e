import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evictionTime } from './node-lifecycle-controller.js';

const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };
const t0 = Date.parse(taint.timeAdded);
const cases = [
  { name: 'no tolerations: immediately', tolerations: [], want: t0 + 5000 },
  { name: 'tolerationSeconds 300', tolerations: [{ key: taint.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], want: t0 + 300_000 },
  { name: 'tolerated forever', tolerations: [{ operator: 'Exists' }], want: undefined },
  { name: 'other key not tolerated', tolerations: [{ key: 'x', operator: 'Exists' }], want: t0 + 5000 },
];
for (const c of cases) {
  test(`evictionTime: ${c.name}`, () => {
    assert.equal(evictionTime({ metadata: { name: 'p' }, spec: { tolerations: c.tolerations } }, [taint], t0 + 5000), c.want);
  });
}
