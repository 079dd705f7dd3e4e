/** Wiring for `--audit-policy-file` / `--audit-log-path` (both needed, as upstream: no path, no log). */
import { readFileSync } from 'node:fs';
import type { Clock } from '../../base/clock.js';
import { AuditLogger } from './audit-logger.js';
import { parsePolicy } from './policy.js';

export function openAuditLogger(opts: { policyFile?: string; logPath?: string; clock: Clock }): AuditLogger | undefined {
  if (!opts.policyFile || !opts.logPath) return undefined;
  return new AuditLogger({ policy: parsePolicy(readFileSync(opts.policyFile, 'utf8')), path: opts.logPath, clock: opts.clock });
}
