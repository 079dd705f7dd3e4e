/**
 * ClusterRole aggregation (upstream's clusterrole-aggregation controller), run inside the API
 * server so it works whichever server leads the controllers: a ClusterRole with an
 * aggregationRule gets, as its rules, the union of the rules of every ClusterRole its
 * selectors match. Chains (view → edit → admin) settle over successive passes, each write
 * coming back through the cache as a change.
 */
import type { Clock, Timer } from '../../base/clock.js';
import type { Logger } from '../../base/logger.js';
import { deepEqual } from '../../api/object.js';
import { selectorMatches } from '../../api/validation/labels.js';
import type { ServerParts } from '../handlers/context.js';
import type { PolicyIndex } from './policy-index.js';
import { RBAC_GROUP, type PolicyRule, type RoleObject } from './types.js';

/** The rules `role` should have, given every cluster role (sorted by name, first seen wins). */
export function aggregatedRules(role: RoleObject, all: readonly RoleObject[]): PolicyRule[] {
  const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
  const rules: PolicyRule[] = [];
  const sources = all
    .filter((r) => r.metadata.name !== role.metadata.name && selectors.some((s) => selectorMatches(s, r.metadata.labels)))
    .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const src of sources) for (const r of src.rules ?? []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
  return rules;
}

export class ClusterRoleAggregator {
  private timer: Timer | undefined;
  private stopListening: (() => void) | undefined;
  private running = false;
  private again = false;
  private closed = false;

  constructor(
    private readonly parts: ServerParts,
    private readonly index: PolicyIndex,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.index.ready();
    this.stopListening = this.index.onChange((kind) => {
      if (kind === 'clusterroles') this.schedule();
    });
    await this.settle();
  }

  close(): void {
    this.closed = true;
    this.stopListening?.();
    this.timer?.cancel();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.syncAll().catch((err) => {
        this.log.error('clusterrole aggregation failed', { error: err });
        this.schedule();
      });
    }, 0);
  }

  /**
   * Runs passes until a pass writes nothing, waiting for the cache to see each pass's writes
   * (startup uses this so `view`, `edit` and `admin` are whole before the first request).
   */
  async settle(maxPasses = 6): Promise<void> {
    for (let i = 0; i < maxPasses; i++) {
      await this.parts.caches.waitFresh();
      if (!(await this.syncAll())) return;
    }
  }

  /** One pass over every aggregated role (true when it wrote); later passes pick up chains. */
  async syncAll(): Promise<boolean> {
    if (this.running) {
      this.again = true;
      return true;
    }
    this.running = true;
    let wrote = false;
    try {
      do {
        this.again = false;
        const loading = this.index.ready();
        if (loading) await loading;
        const all = this.index.allClusterRoles();
        for (const role of all) {
          if (!role.aggregationRule || this.closed) continue;
          const want = aggregatedRules(role, all);
          if (!deepEqual(role.rules ?? [], want)) {
            await this.write(role.metadata.name!, all);
            wrote = true;
          }
        }
      } while (this.again);
    } finally {
      this.running = false;
    }
    return wrote;
  }

  private async write(name: string, all: readonly RoleObject[]): Promise<void> {
    const b = this.parts.bound(RBAC_GROUP, 'v1', 'clusterroles');
    if (!b) return;
    await b.store.update(
      undefined,
      name,
      (live) => {
        const role = live as RoleObject;
        if (!role.aggregationRule) return live;
        return { ...role, rules: aggregatedRules(role, all) };
      },
      { manager: 'clusterrole-aggregation-controller', dryRun: false },
    );
  }
}
