/**
 * The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): allows a request when any
 * rule bound to the user, one of its groups or its service account allows it; otherwise it
 * has no opinion (the next authorizer, or the 403, follows).
 */
import type { UserInfo } from '../authn/types.js';
import type { Attributes, Authorizer, AuthorizerResult } from '../authz/types.js';
import type { ServerParts } from '../handlers/context.js';
import { PolicyIndex, type ResolvedRules } from './policy-index.js';
import { rulesAllow } from './rule-matching.js';

/** Lists the rules a user holds (SelfSubjectRulesReview, the escalation check). */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules>;
}

export interface RbacAuthorizer extends Authorizer, RuleResolver {
  readonly index: PolicyIndex;
  close(): void;
}

const ALLOW: AuthorizerResult = { decision: 'allow' };
const NO_OPINION: AuthorizerResult = { decision: 'no-opinion' };

export function createRbacAuthorizer(parts: ServerParts | (() => ServerParts)): RbacAuthorizer {
  const index = new PolicyIndex(parts);
  return {
    index,
    async authorize(a: Attributes): Promise<AuthorizerResult> {
      const loading = index.ready();
      if (loading) await loading;
      return rulesAllow(a, index.rulesFor(a.user, a.namespace).rules) ? ALLOW : NO_OPINION;
    },
    async rulesFor(user: UserInfo, namespace: string): Promise<ResolvedRules> {
      const loading = index.ready();
      if (loading) await loading;
      return index.rulesFor(user, namespace);
    },
    close: () => index.close(),
  };
}
