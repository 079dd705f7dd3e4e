import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../base/clock.js';
import { signJwt } from '../tokens/jwt.js';
import { ServiceAccountTokenIssuer } from '../tokens/issuer.js';
import { DEFAULT_ISSUER } from '../tokens/service-account-claims.js';
import { generateServiceAccountKey, serviceAccountKeyFromPem } from '../tokens/signing-key.js';
import { mapGetter } from './object-getter.js';
import { serviceAccountTokenAuthenticator } from './service-account.js';
import { InvalidTokenError } from './token.js';

const key = serviceAccountKeyFromPem(await generateServiceAccountKey());
const otherKey = serviceAccountKeyFromPem(await generateServiceAccountKey());
const obj = (name: string, uid: string, extra: Partial<KubeObject> = {}): KubeObject => ({ metadata: { name, namespace: 'default', uid }, ...extra });

function setup() {
  const clock = new FakeClock();
  const objects = new Map<string, KubeObject>([
    ['serviceaccounts/default/viewer', obj('viewer', 'sa-1')],
    ['pods/default/web', obj('web', 'pod-1')],
  ]);
  const issuer = new ServiceAccountTokenIssuer(key, DEFAULT_ISSUER, [DEFAULT_ISSUER]);
  const authn = serviceAccountTokenAuthenticator({ issuers: [DEFAULT_ISSUER], apiAudiences: [DEFAULT_ISSUER], publicKeys: [key.publicKey], clock, objects: mapGetter(objects) });
  const sa = { name: 'viewer', uid: 'sa-1' };
  return { clock, objects, issuer, authn, sa };
}

test('a fresh token authenticates as its service account', async () => {
  const { issuer, authn, clock, sa } = setup();
  const { token, expiresAtMs } = issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600);
  assert.equal(expiresAtMs, clock.now() + 3600_000);
  const r = await authn.authenticateToken(token);
  assert.equal(r?.user.name, 'system:serviceaccount:default:viewer');
  assert.equal(r?.user.uid, 'sa-1');
  assert.deepEqual(r?.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default']);
  assert.deepEqual(r?.audiences, [DEFAULT_ISSUER]);
  assert.match(r!.user.extra!['authentication.kubernetes.io/credential-id'][0], /^JTI=[0-9a-f-]{36}$/);
});

test('pod-bound tokens carry the pod in extra and die with it', async () => {
  const { issuer, authn, clock, sa, objects } = setup();
  const { token } = issuer.issue({ namespace: 'default', serviceAccount: sa, pod: { name: 'web', uid: 'pod-1' }, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600);
  const r = await authn.authenticateToken(token);
  assert.deepEqual(r?.user.extra?.['authentication.kubernetes.io/pod-name'], ['web']);
  assert.deepEqual(r?.user.extra?.['authentication.kubernetes.io/pod-uid'], ['pod-1']);
  objects.set('pods/default/web', obj('web', 'pod-2'));
  await assert.rejects(authn.authenticateToken(token), /Pod UID \(pod-2\) does not match claim \(pod-1\)/);
  objects.delete('pods/default/web');
  await assert.rejects(authn.authenticateToken(token), /Pod default\/web has been deleted/);
});

test('bad tokens are refused with InvalidTokenError', async () => {
  const cases: { name: string; make: (s: ReturnType<typeof setup>) => string; before?: (s: ReturnType<typeof setup>) => void; error: RegExp }[] = [
    {
      name: 'tampered payload',
      make: ({ issuer, clock, sa }) => {
        const [h, p, sig] = issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600).token.split('.');
        const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
        claims.exp += 100000;
        return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
      },
      error: /invalid bearer token/,
    },
    {
      name: 'signed by another key',
      make: ({ clock, sa }) => new ServiceAccountTokenIssuer(otherKey, DEFAULT_ISSUER, [DEFAULT_ISSUER]).issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600).token,
      error: /invalid bearer token/,
    },
    {
      name: 'expired',
      make: ({ issuer, clock, sa }) => issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 600).token,
      before: ({ clock }) => clock.advance(601_000 + 60_000),
      error: /expired/,
    },
    {
      name: 'wrong audience',
      make: ({ issuer, clock, sa }) => issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: ['vault'] }, clock.now(), 3600).token,
      error: /token audiences \["vault"\] is invalid/,
    },
    {
      name: 'deleted service account',
      make: ({ issuer, clock, sa }) => issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600).token,
      before: ({ objects }) => objects.delete('serviceaccounts/default/viewer'),
      error: /ServiceAccount default\/viewer has been deleted/,
    },
    {
      name: 'service account recreated with a new uid',
      make: ({ issuer, clock, sa }) => issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: [DEFAULT_ISSUER] }, clock.now(), 3600).token,
      before: ({ objects }) => objects.set('serviceaccounts/default/viewer', obj('viewer', 'sa-2')),
      error: /ServiceAccount UID \(sa-2\) does not match claim \(sa-1\)/,
    },
  ];
  for (const c of cases) {
    const s = setup();
    const token = c.make(s);
    c.before?.(s);
    await assert.rejects(s.authn.authenticateToken(token), (err: unknown) => err instanceof InvalidTokenError && c.error.test(err.message), c.name);
  }
});

test('tokens of other issuers are left to other authenticators', async () => {
  const { authn } = setup();
  assert.equal(await authn.authenticateToken(signJwt({ iss: 'https://accounts.example.com', sub: 'x' }, key.privateKey)), undefined);
  assert.equal(await authn.authenticateToken('abcdef.0123456789abcdef'), undefined);
});

test('TokenReview audiences: a token is valid for the audiences it shares with the request', async () => {
  const { issuer, authn, clock, sa } = setup();
  const { token } = issuer.issue({ namespace: 'default', serviceAccount: sa, audiences: ['vault', 'nats'] }, clock.now(), 3600);
  assert.deepEqual((await authn.authenticateToken(token, ['nats', 'other']))?.audiences, ['nats']);
  await assert.rejects(authn.authenticateToken(token, ['other']), InvalidTokenError);
});

test('legacy Secret tokens are valid while their Secret holds them', async () => {
  const { issuer, authn, objects, sa } = setup();
  const token = issuer.issueLegacy({ namespace: 'default', secretName: 'viewer-token', serviceAccount: sa });
  objects.set('secrets/default/viewer-token', obj('viewer-token', 's-1', { data: { token: Buffer.from(token).toString('base64') } }));
  assert.equal((await authn.authenticateToken(token))?.user.name, 'system:serviceaccount:default:viewer');
  objects.set('secrets/default/viewer-token', obj('viewer-token', 's-1', { data: { token: Buffer.from('other').toString('base64') } }));
  await assert.rejects(authn.authenticateToken(token), /does not match/);
});
