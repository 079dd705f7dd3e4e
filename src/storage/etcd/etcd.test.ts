import { after, before, describe } from 'node:test';
import { etcdAvailable, startEtcd, type EtcdServer } from '../../testing/etcd-server.js';
import { runConformance } from '../conformance/suite.js';
import { openEtcdStorage } from './etcd-storage.js';

const skip = etcdAvailable() ? false : '/usr/bin/etcd is missing (apt-get install etcd-server); etcd conformance not run';

describe('etcd', { skip }, () => {
  let server: EtcdServer;
  before(async () => {
    server = await startEtcd();
  });
  after(async () => {
    await server?.stop();
  });
  runConformance('etcd', async () => {
    const storage = await openEtcdStorage({ endpoints: [server.endpoint] });
    return { storage, cleanup: () => storage.close() };
  });
});
