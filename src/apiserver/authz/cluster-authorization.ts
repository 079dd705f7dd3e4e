/**
 * Authorization as `skiff server` runs it: the Node authorizer, then RBAC (upstream's
 * `--authorization-mode=Node,RBAC`), the admission plugins that go with them (RBAC escalation
 * checks, NodeRestriction), the default policy reconciled at startup and ClusterRole
 * aggregation kept up to date inside the server.
 */
import type { Clock } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import type { AdmissionPlugin } from '../admission/types.js';
import type { UserInfo } from '../authn/types.js';
import type { ServerParts } from '../handlers/context.js';
import { ClusterRoleAggregator } from '../rbac/aggregation.js';
import { createRbacAuthorizer, type RbacAuthorizer, type RuleResolver } from '../rbac/authorizer.js';
import { rbacEscalationPlugin } from '../rbac/escalation.js';
import { reconcileDefaultPolicy } from '../rbac/reconcile.js';
import { createNodeAuthorizer } from './node-authorizer.js';
import { nodeRestrictionPlugin } from './node-restriction.js';
import type { Authorizer } from './types.js';
import { unionAuthorizer } from './union.js';

export interface ClusterAuthorizationConfig {
  /** A getter, because the authorizer is handed to the server it reads from. */
  parts: () => ServerParts;
  clock: Clock;
  log: Logger;
}

export interface ClusterAuthorization {
  /** Node then RBAC; also lists a user's RBAC rules (SelfSubjectRulesReview). */
  readonly authorizer: Authorizer & RuleResolver;
  readonly rbac: RbacAuthorizer;
  /** Call after the server started and before it listens: default policy, aggregation. */
  start(): Promise<void>;
  close(): void;
}

export function clusterAuthorization(cfg: ClusterAuthorizationConfig): ClusterAuthorization {
  const rbac = createRbacAuthorizer(cfg.parts);
  const union = unionAuthorizer(createNodeAuthorizer(cfg.parts), rbac);
  const authorizer: Authorizer & RuleResolver = {
    authorize: (a) => union.authorize(a),
    rulesFor: (user: UserInfo, namespace: string) => rbac.rulesFor(user, namespace),
  };
  let aggregator: ClusterRoleAggregator | undefined;
  return {
    authorizer,
    rbac,
    async start() {
      await reconcileDefaultPolicy(cfg.parts());
      // The authorizer reads the watch cache: let it see the policy just written.
      await cfg.parts().caches.waitFresh();
      aggregator = new ClusterRoleAggregator(cfg.parts(), rbac.index, cfg.clock, cfg.log.child('clusterrole-aggregation'));
      await aggregator.start();
    },
    close() {
      aggregator?.close();
      rbac.close();
    },
  };
}

/** The validating admission plugins that belong to authorization (add once to the chain). */
export function rbacAdmissionPlugins(authz: ClusterAuthorization): AdmissionPlugin[] {
  return [rbacEscalationPlugin({ authorizer: authz.authorizer, rules: authz.rbac, index: authz.rbac.index }), nodeRestrictionPlugin()];
}
