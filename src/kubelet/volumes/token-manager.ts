/**
 * Service-account tokens for projected volumes, from the TokenRequest API, bound to the pod.
 * A token is reused until 80% of its lifetime has passed (or it is a day old), as upstream's
 * kubelet token manager does, so the refresh loop can ask on every pass.
 */
import type { Clock } from '../../base/clock.js';
import type { ApiClient } from '../../client/client.js';
import { Resources } from '../../client/resources.js';

export interface TokenKey {
  namespace: string;
  serviceAccount: string;
  audiences: string[];
  expirationSeconds: number;
  podName: string;
  podUid: string;
}

interface Cached {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

const MAX_AGE_MS = 24 * 3600_000;

export class TokenManager {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
  ) {}

  private static keyOf(k: TokenKey): string {
    return JSON.stringify([k.namespace, k.serviceAccount, k.audiences, k.expirationSeconds, k.podUid]);
  }

  private needsRefresh(c: Cached): boolean {
    const now = this.clock.now();
    if (now >= c.expiresAt) return true;
    if (now - c.issuedAt > MAX_AGE_MS) return true;
    return now >= c.issuedAt + (c.expiresAt - c.issuedAt) * 0.8;
  }

  async token(k: TokenKey): Promise<string> {
    const key = TokenManager.keyOf(k);
    const cached = this.cache.get(key);
    if (cached && !this.needsRefresh(cached)) return cached.token;
    try {
      const res = (await this.client.createSubresource(Resources.serviceaccounts, k.namespace, k.serviceAccount, 'token', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: {
          audiences: k.audiences,
          expirationSeconds: k.expirationSeconds,
          boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: k.podName, uid: k.podUid },
        },
      })) as { status?: { token?: string; expirationTimestamp?: string } };
      const token = res.status?.token;
      if (!token) throw new Error('TokenRequest returned no token');
      const issuedAt = this.clock.now();
      const exp = res.status?.expirationTimestamp ? Date.parse(res.status.expirationTimestamp) : NaN;
      this.cache.set(key, { token, issuedAt, expiresAt: Number.isFinite(exp) ? exp : issuedAt + k.expirationSeconds * 1000 });
      return token;
    } catch (err) {
      // An unexpired token keeps serving while the API is unreachable.
      if (cached && this.clock.now() < cached.expiresAt) return cached.token;
      throw err;
    }
  }

  forgetPod(uid: string): void {
    for (const k of this.cache.keys()) if (k.includes(JSON.stringify(uid))) this.cache.delete(k);
  }
}
