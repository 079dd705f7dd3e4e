import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { fromLabelSelectorObject } from '../../api/selectors/label-selector.js';
import { Indexer } from '../../client/informer.js';
import { Resources } from '../../client/resources.js';
import { startControlPlane } from '../../testing/control-plane.js';
import { claimOwned, controllerUidIndex, CONTROLLER_UID_INDEX } from './claim-owned.js';

const pod = (name: string, labels: Record<string, string>, owner?: KubeObject): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    labels,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] } : {}),
  },
  spec: { containers: [{ name: 'c', image: 'i' }] },
});

test('claim adopts matching orphans, keeps matching owned objects, releases mismatches', async () => {
  const cp = await startControlPlane();
  try {
    const client = cp.client('claim-test');
    const owner = await client.create<KubeObject>(Resources.statefulsets, 'default', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, serviceName: 'web', template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    const created = [];
    for (const p of [pod('orphan', { app: 'web' }), pod('kept', { app: 'web' }, owner), pod('strayed', { app: 'other' }, owner), pod('unrelated', { app: 'other' }), pod('ineligible', { app: 'web' })]) {
      created.push(await client.create<KubeObject>(Resources.pods, 'default', p));
    }
    const store = new Indexer();
    store.addIndexer(CONTROLLER_UID_INDEX, controllerUidIndex);
    for (const p of created) store.set(p);
    const claimed = await claimOwned({
      client,
      owner,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'StatefulSet',
      selector: fromLabelSelectorObject({ matchLabels: { app: 'web' } }),
      store,
      resource: Resources.pods,
      adoptable: (p) => p.metadata.name !== 'ineligible',
    });
    assert.deepEqual(claimed.map((p) => p.metadata.name).sort(), ['kept', 'orphan']);
    const refsOf = async (name: string) => ((await client.get<KubeObject>(Resources.pods, 'default', name)).metadata.ownerReferences ?? []).map((r) => r.uid);
    assert.deepEqual(await refsOf('orphan'), [owner.metadata.uid]);
    assert.deepEqual(await refsOf('strayed'), []);
    assert.deepEqual(await refsOf('unrelated'), []);
    assert.deepEqual(await refsOf('ineligible'), []);
  } finally {
    await cp.close();
  }
});
