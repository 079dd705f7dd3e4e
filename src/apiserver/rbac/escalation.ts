/**
 * Escalation prevention (upstream pkg/registry/rbac and rbac/validation), as a validating
 * admission plugin: nobody writes a Role or ClusterRole granting more than they hold unless
 * allowed to `escalate`, and nobody binds a role granting more than they hold unless allowed
 * to `bind` it. system:masters (and the server itself) may do both.
 */
import type { KubeObject } from '../../api/object.js';
import { deepEqual } from '../../api/object.js';
import { notFound, StatusError } from '../../api/status.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../admission/types.js';
import type { UserInfo } from '../authn/types.js';
import type { Authorizer } from '../authz/types.js';
import type { RuleResolver } from './authorizer.js';
import type { PolicyIndex } from './policy-index.js';
import { compactRuleString, uncoveredRules } from './rule-matching.js';
import { RBAC_GROUP, type BindingObject, type PolicyRule, type RoleObject } from './types.js';

const ROLE_KINDS = new Set(['roles', 'clusterroles']);
const BINDING_KINDS = new Set(['rolebindings', 'clusterrolebindings']);

export interface EscalationCheckConfig {
  authorizer: Authorizer;
  rules: RuleResolver;
  index: PolicyIndex;
}

const goQuoted = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

function forbiddenFor(plural: string, name: string, message: string): StatusError {
  return new StatusError(403, 'Forbidden', `${plural}.${RBAC_GROUP} "${name}" is forbidden: ${message}`, { name, group: RBAC_GROUP, kind: plural });
}

function escalationAllowed(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}

/** An update that touches only what the garbage collector writes (upstream IsOnlyMutatingGCFields). */
function onlyGCFields(obj: KubeObject, old: KubeObject | undefined): boolean {
  if (!old) return false;
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, generation: _g, ...meta } = o.metadata;
    return { ...o, metadata: meta };
  };
  return deepEqual(strip(obj), strip(old));
}

export function rbacEscalationPlugin(cfg: EscalationCheckConfig): AdmissionPlugin {
  const may = async (user: UserInfo, verb: string, resource: string, namespace: string, name: string) =>
    (
      await cfg.authorizer.authorize({ user, verb, resourceRequest: true, path: '', apiGroup: RBAC_GROUP, apiVersion: 'v1', resource, subresource: '', namespace, name })
    ).decision === 'allow';

  const confirmNoEscalation = async (a: AdmissionAttributes, namespace: string, wanted: PolicyRule[]) => {
    const held = await cfg.rules.rulesFor(a.user, namespace);
    const missing = uncoveredRules(held.rules, wanted);
    if (missing.length === 0) return;
    const lines = [...new Set(missing.map(compactRuleString))].sort();
    let msg = `user ${JSON.stringify(a.user.name)} (groups=${goQuoted(a.user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
    if (held.errors.length) msg += `; resolution errors: [${held.errors.join(' ')}]`;
    throw forbiddenFor(a.rt.plural, a.name ?? '', msg);
  };

  return {
    name: 'RBACEscalation',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.rt.group !== RBAC_GROUP || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return;
      const plural = a.rt.plural;
      if (!ROLE_KINDS.has(plural) && !BINDING_KINDS.has(plural)) return;
      if (escalationAllowed(a.user)) return;
      const loading = cfg.index.ready();
      if (loading) await loading;
      const namespace = plural === 'roles' || plural === 'rolebindings' ? (a.namespace ?? '') : '';
      const name = a.name ?? a.object.metadata.name ?? '';
      if (ROLE_KINDS.has(plural)) {
        if (await may(a.user, 'escalate', plural, namespace, name)) return;
        const role = a.object as RoleObject;
        const old = a.oldObject as RoleObject | undefined;
        if (plural === 'clusterroles' && (role.aggregationRule || old?.aggregationRule)) {
          throw forbiddenFor(plural, name, 'must have cluster-admin privileges to use the aggregationRule');
        }
        if (a.operation === 'UPDATE' && onlyGCFields(role, old)) return;
        return confirmNoEscalation(a, namespace, role.rules ?? []);
      }
      const binding = a.object as BindingObject;
      if (a.operation === 'UPDATE' && onlyGCFields(binding, a.oldObject)) return;
      const ref = binding.roleRef;
      const refPlural = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      if (await may(a.user, 'bind', refPlural, ref.kind === 'ClusterRole' ? '' : namespace, ref.name)) return;
      const role = ref.kind === 'ClusterRole' ? cfg.index.clusterRole(ref.name) : cfg.index.role(namespace, ref.name);
      if (!role) throw notFound({ group: RBAC_GROUP, plural: refPlural }, ref.name);
      return confirmNoEscalation(a, namespace, role.rules ?? []);
    },
  };
}
