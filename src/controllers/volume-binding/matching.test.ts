import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findBestMatch } from './matching.js';

const pv = (name: string, size: string, extra: Record<string, unknown> = {}, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], ...extra },
  status: { phase: 'Available' },
});
const pvc = (spec: Record<string, unknown>) => ({ metadata: { name: 'c', namespace: 'default', uid: 'u1' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, ...spec } });
const volumes = [pv('big', '100Gi'), pv('small', '1Gi'), pv('fit', '10Gi'), pv('fast', '6Gi', { storageClassName: 'fast' }), pv('labelled', '20Gi', {}, { tier: 'gold' })];

const cases = [
  { name: 'smallest that fits, class ""', claim: pvc({}), want: 'fit' },
  { name: 'storageClassName', claim: pvc({ storageClassName: 'fast' }), want: 'fast' },
  { name: 'selector', claim: pvc({ selector: { matchLabels: { tier: 'gold' } } }), want: 'labelled' },
  { name: 'access modes', claim: pvc({ accessModes: ['ReadWriteMany'] }), want: undefined },
  { name: 'volumeName pre-bound wins over smaller', claim: pvc({}), want: 'big', prebind: true },
];
for (const c of cases) {
  test(`findBestMatch: ${c.name}`, () => {
    const vs = c.prebind ? volumes.map((v) => (v.metadata.name === 'big' ? { ...v, spec: { ...v.spec, claimRef: { namespace: 'default', name: 'c' } } } : v)) : volumes;
    assert.equal(findBestMatch(c.claim, vs, false)?.metadata.name, c.want);
  });
}
