import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCA, issueCertificate } from '../../api/pki/pki.js';
import { rotationDeadline, usableFor, validity } from './client-certificate.js';
import { caCertHash, formatJoinToken, JoinTokenError, parseJoinToken } from './join-token.js';

test('parseJoinToken', () => {
  const hash = 'ab'.repeat(32);
  const cases: [string, { caHash?: string; bootstrapToken: string }][] = [
    [`K10${hash}::abcdef.0123456789abcdef`, { caHash: hash, bootstrapToken: 'abcdef.0123456789abcdef' }],
    [`K10${hash.toUpperCase()}::abcdef.0123456789abcdef\n`, { caHash: hash, bootstrapToken: 'abcdef.0123456789abcdef' }],
    ['abcdef.0123456789abcdef', { bootstrapToken: 'abcdef.0123456789abcdef' }],
  ];
  for (const [text, want] of cases) assert.deepEqual(parseJoinToken(text), want, text);
  assert.throws(() => parseJoinToken('K10abc::abcdef.0123456789abcdef'), JoinTokenError);
});

test('formatJoinToken pins the CA by the sha256 of its DER bytes', async () => {
  const ca = await createCA('test-ca');
  const full = formatJoinToken(ca.cert, 'abcdef.0123456789abcdef');
  assert.equal(parseJoinToken(full).caHash, caCertHash(ca.cert));
  assert.notEqual(caCertHash((await createCA('other')).cert), caCertHash(ca.cert));
});

test('rotationDeadline falls between 70% and 90% of the lifetime', () => {
  const v = { notBefore: 1_000, notAfter: 11_000, subject: '' };
  assert.deepEqual([0, 0.5, 0.999999].map((j) => Math.round(rotationDeadline(v, j))), [8_000, 9_000, 10_000]);
});

test('usableFor checks node name, issuing CA and validity', async () => {
  const ca = await createCA('test-ca');
  const other = await createCA('other-ca');
  const pair = await issueCertificate(ca, { commonName: 'system:node:n1', organizations: ['system:nodes'], usage: 'client', days: 1 });
  const now = Date.now();
  const { notAfter } = validity(pair.cert);
  const cases: [string, string, number, boolean][] = [
    ['n1', ca.cert, now, true],
    ['n2', ca.cert, now, false],
    ['n1', other.cert, now, false],
    ['n1', ca.cert, notAfter + 1, false],
  ];
  for (const [node, issuer, at, want] of cases) assert.equal(usableFor(pair, node, issuer, at), want, `${node} ${at}`);
});
