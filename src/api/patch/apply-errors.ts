/**
 * Server-side apply errors. The apiserver maps them to `Status` in one place:
 *
 * | class                   | HTTP | reason     | details.causes                          |
 * |-------------------------|------|------------|-----------------------------------------|
 * | ApplyConflictError      | 409  | Conflict   | one `FieldManagerConflict` per field    |
 * | ApplyInvalidObjectError | 500  | "" (none)  | —  (upstream wraps typed-object errors  |
 * |                         |      |            |     in a plain error, so kubectl prints |
 * |                         |      |            |     `Error from server: <message>`)     |
 * | ApplyBadRequestError    | 400  | BadRequest | —                                       |
 */
import { SkiffError } from '../../base/errors.js';

export interface ApplyConflict {
  /** The other manager's name (`kubectl-client-side-apply`). */
  manager: string;
  /** Human description of that manager: `"kubectl-client-side-apply" using apps/v1`. */
  managerDescription: string;
  /** Field path as upstream prints it: `.spec.containers[name="c"].image`. */
  field: string;
}

export interface FieldManagerConflictCause {
  reason: 'FieldManagerConflict';
  message: string;
  field: string;
}

/** Another manager owns fields this apply would change, and `force` was not set. */
export class ApplyConflictError extends SkiffError {
  readonly causes: FieldManagerConflictCause[];
  constructor(readonly conflicts: ApplyConflict[]) {
    super('ApplyConflict', conflictMessage(conflicts));
    this.causes = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${c.managerDescription}`,
      field: c.field,
    }));
  }
}

/** Conflicts arrive grouped by manager already (see apply.ts); the message keeps that order. */
function conflictMessage(conflicts: ApplyConflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${c.managerDescription}: ${c.field}`;
  }
  const lines: string[] = [];
  let current: string | undefined;
  for (const c of conflicts) {
    if (c.managerDescription !== current) {
      current = c.managerDescription;
      lines.push(`conflicts with ${current}:`);
    }
    lines.push(`- ${c.field}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/** The applied configuration or the live object does not fit the schema's list rules. */
export class ApplyInvalidObjectError extends SkiffError {
  constructor(readonly field: string, message: string) {
    super('ApplyInvalidObject', message);
  }
}

/** The request itself is malformed, e.g. it carries `metadata.managedFields`. */
export class ApplyBadRequestError extends SkiffError {
  constructor(message: string) {
    super('ApplyBadRequest', message);
  }
}
