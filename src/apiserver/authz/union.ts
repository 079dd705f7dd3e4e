/** Asks authorizers in order; the first that allows or denies decides (upstream union). */
import type { Attributes, Authorizer, AuthorizerResult } from './types.js';

export function unionAuthorizer(...authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(a: Attributes): Promise<AuthorizerResult> {
      const reasons: string[] = [];
      for (const z of authorizers) {
        const r = await z.authorize(a);
        if (r.decision !== 'no-opinion') return r;
        if (r.reason) reasons.push(r.reason);
      }
      return reasons.length ? { decision: 'no-opinion', reason: reasons.join('\n') } : { decision: 'no-opinion' };
    },
  };
}

