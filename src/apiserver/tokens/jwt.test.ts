import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { decodeJwt, keyIdOf, signJwt, verifyJwtSignature } from './jwt.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

test('RS256 and ES256 tokens verify with their own key only', () => {
  for (const [alg, pair, other] of [['RS256', rsa, ec], ['ES256', ec, rsa]] as const) {
    const token = signJwt({ sub: 'x', n: 1 }, pair.privateKey);
    const jwt = decodeJwt(token)!;
    assert.equal(jwt.header.alg, alg);
    assert.equal(jwt.header.kid, keyIdOf(pair.publicKey));
    assert.deepEqual(jwt.claims, { sub: 'x', n: 1 });
    assert.equal(verifyJwtSignature(jwt, [pair.publicKey]), true);
    assert.equal(verifyJwtSignature(jwt, [other.publicKey]), false);
    assert.equal(verifyJwtSignature(jwt, [other.publicKey, createPublicKey(pair.privateKey)]), true);
  }
});

test('a changed payload or header no longer verifies', () => {
  const token = signJwt({ sub: 'system:serviceaccount:a:b' }, rsa.privateKey);
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:a:admin' })).toString('base64url')}.${s}`;
  assert.equal(verifyJwtSignature(decodeJwt(forged)!, [rsa.publicKey]), false);
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${token.split('.')[1]}.`;
  assert.equal(verifyJwtSignature(decodeJwt(none)!, [rsa.publicKey]), false);
});

test('non-JWT strings do not decode', () => {
  for (const t of ['', 'abc', 'a.b', 'abcdef.0123456789abcdef', 'a.b.c.d', '!!.??.**', 'eyJ9.eyJ9.x']) assert.equal(decodeJwt(t), undefined, t);
});
