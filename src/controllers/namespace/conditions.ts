/**
 * The namespace deletion conditions (upstream namespace/deletion status_condition_utils.go):
 * every managed condition type is always present; a failure sets it True with the failure's
 * reason and message, otherwise it is False with the "ok" reason. lastTransitionTime moves
 * only when the status flips.
 */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** What one deletion pass found, turned into conditions by `deletionConditions`. */
export interface DeletionOutcome {
  /** groupVersion → error, from discovery. */
  discoveryFailures: Map<string, string>;
  /** One message per resource whose content could not be deleted or listed. */
  contentErrors: string[];
  /** `resource.group` → instances still present. */
  remaining: Map<string, number>;
  /** finalizer → instances still carrying it. */
  finalizers: Map<string, number>;
}

export function deletionConditions(o: DeletionOutcome, now: string): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  const failed = (type: string, reason: string, message: string) => out.push({ type, status: 'True', lastTransitionTime: now, reason, message });
  if (o.discoveryFailures.size > 0) {
    const groups = [...o.discoveryFailures].map(([gv, e]) => `${gv}: ${e}`).sort();
    failed('NamespaceDeletionDiscoveryFailure', 'DiscoveryFailed', `Discovery failed for some groups, ${groups.length} failing: unable to retrieve the complete list of server APIs: ${groups.join(', ')}`);
  }
  if (o.contentErrors.length > 0) {
    const msgs = [...o.contentErrors].sort();
    failed('NamespaceDeletionContentFailure', 'ContentDeletionFailed', `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`);
  }
  const remaining = [...o.remaining].filter(([, n]) => n > 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
  if (remaining.length > 0) failed('NamespaceContentRemaining', 'SomeResourcesRemain', `Some resources are remaining: ${remaining.join(', ')}`);
  const finalizers = [...o.finalizers].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
  if (finalizers.length > 0) failed('NamespaceFinalizersRemaining', 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`);
  return out;
}

/** Merges `fresh` failures into `existing`; returns the new list and whether anything changed. */
export function mergeConditions(existing: NamespaceCondition[], fresh: NamespaceCondition[], now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const conditions = existing.map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const next = fresh.find((c) => c.type === type) ?? { type, status: 'False' as const, lastTransitionTime: now, ...OK[type] };
    const old = conditions.find((c) => c.type === type);
    if (!old) {
      conditions.push(next);
      changed = true;
    } else if (old.status !== next.status || old.reason !== next.reason || old.message !== next.message) {
      if (old.status !== next.status) old.lastTransitionTime = now;
      old.status = next.status;
      old.reason = next.reason;
      old.message = next.message;
      changed = true;
    }
  }
  return { conditions, changed };
}
