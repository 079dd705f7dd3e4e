import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePod, type PodSpec } from './checks.js';
import { policyFor, violationText } from './plugin.js';

const restrictedOk: PodSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

const cases: { name: string; level: 'baseline' | 'restricted'; spec: PodSpec; want: string }[] = [
  { name: 'compliant restricted pod', level: 'restricted', spec: restrictedOk, want: '' },
  {
    name: 'plain pod under restricted',
    level: 'restricted',
    spec: { containers: [{ name: 'c' }] },
    want:
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  },
  {
    name: 'privileged host pod under baseline',
    level: 'baseline',
    spec: { hostNetwork: true, containers: [{ name: 'a', ports: [{ hostPort: 80 }], securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN'] } } }], volumes: [{ name: 'h', hostPath: { path: '/' } }] },
    want:
      'host namespaces (hostNetwork=true), hostPort (container "a" uses hostPort 80), privileged (container "a" must not set securityContext.privileged=true), ' +
      'non-default capabilities (container "a" must not include "SYS_ADMIN" in securityContext.capabilities.add), hostPath volumes (volume "h")',
  },
  {
    name: 'restricted volume types and runAsUser',
    level: 'restricted',
    spec: { ...restrictedOk, securityContext: { ...restrictedOk.securityContext, runAsUser: 0 }, volumes: [{ name: 'n', nfs: {} }, { name: 'ok', emptyDir: {} }] },
    want: 'restricted volume types (volume "n" uses restricted volume type "nfs"), runAsUser=0 (pod must not set runAsUser=0)',
  },
  { name: 'baseline allows default capabilities', level: 'baseline', spec: { containers: [{ name: 'c', securityContext: { capabilities: { add: ['CHOWN'] } } }] }, want: '' },
  { name: 'unsafe sysctl', level: 'baseline', spec: { securityContext: { sysctls: [{ name: 'kernel.msgmax' }] }, containers: [] }, want: 'forbidden sysctls (kernel.msgmax)' },
];

for (const c of cases) {
  test(`pod security: ${c.name}`, () => {
    assert.equal(violationText(evaluatePod(c.level, {}, c.spec)), c.want);
  });
}

test('privileged level allows anything', () => {
  assert.deepEqual(evaluatePod('privileged', {}, { hostPID: true, containers: [{ name: 'x', securityContext: { privileged: true } }] }), []);
});

test('namespace labels choose level and version per mode', () => {
  const labels = { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.31', 'pod-security.kubernetes.io/warn': 'bogus' };
  assert.deepEqual(policyFor(labels, 'enforce'), { level: 'baseline', version: 'v1.31' });
  assert.deepEqual(policyFor(labels, 'warn'), { level: 'restricted', version: 'latest' });
  assert.deepEqual(policyFor(labels, 'audit'), { level: 'privileged', version: 'latest' });
});
