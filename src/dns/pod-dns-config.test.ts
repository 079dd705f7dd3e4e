import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResolvConf, podDNSConfig, type PodDNSConfigInput } from './pod-dns-config.js';
import { parseResolvConf } from './resolv-conf.js';

const host = parseResolvConf('# host\nnameserver 192.168.1.1\nnameserver 192.168.1.2\nsearch corp.example lab.example.\noptions edns0\n');
const settings = { clusterDNS: ['10.43.0.10'], clusterDomain: 'cluster.local', host };
const cluster = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'];
const hostCfg = { servers: ['192.168.1.1', '192.168.1.2'], searches: ['corp.example', 'lab.example'], options: ['edns0'] };

test('pod DNS config follows dnsPolicy as the kubelet does', () => {
  const table: [string, PodDNSConfigInput, typeof settings, { servers: string[]; searches: string[]; options: string[] }][] = [
    ['ClusterFirst default', { namespace: 'default' }, settings, { servers: ['10.43.0.10'], searches: cluster, options: ['ndots:5'] }],
    ['ClusterFirst + hostNetwork = Default', { namespace: 'default', dnsPolicy: 'ClusterFirst', hostNetwork: true }, settings, hostCfg],
    ['ClusterFirstWithHostNet', { namespace: 'default', dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }, settings, { servers: ['10.43.0.10'], searches: cluster, options: ['ndots:5'] }],
    ['Default', { namespace: 'default', dnsPolicy: 'Default' }, settings, hostCfg],
    ['ClusterFirst without cluster DNS = Default', { namespace: 'default' }, { ...settings, clusterDNS: [] }, hostCfg],
    ['None with dnsConfig', { namespace: 'x', dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } }, settings, { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2', 'edns0'] }],
    [
      'dnsConfig appended, duplicates dropped, options replaced',
      { namespace: 'ns1', dnsConfig: { nameservers: ['10.43.0.10', '8.8.8.8'], searches: ['svc.cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '1' }] } },
      settings,
      { servers: ['10.43.0.10', '8.8.8.8'], searches: ['ns1.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra.example'], options: ['ndots:1'] },
    ],
    ['at most 3 nameservers', { namespace: 'd', dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'] } }, settings, { servers: ['1.1.1.1', '1.1.1.2', '1.1.1.3'], searches: [], options: [] }],
  ];
  for (const [name, pod, s, want] of table) assert.deepEqual(podDNSConfig(pod, s), want, name);
});

test('resolv.conf text', () => {
  assert.equal(
    formatResolvConf(podDNSConfig({ namespace: 'default' }, settings)),
    'search default.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.43.0.10\noptions ndots:5\n',
  );
});
