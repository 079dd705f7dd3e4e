/**
 * Admission: after decoding and defaulting, mutating plugins may change the object, then the
 * resource's validation runs, then validating plugins may refuse it (upstream's order).
 * A plugin refuses by throwing a StatusError (usually 403 Forbidden or 422 Invalid).
 */
import type { KubeObject } from '../../api/object.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { UserInfo } from '../authn/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  rt: ResourceType;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The incoming object (CREATE/UPDATE); mutating plugins change it in place. */
  object?: KubeObject;
  /** The stored object (UPDATE/DELETE). */
  oldObject?: KubeObject;
  user: UserInfo;
  dryRun: boolean;
  /** Adds a warning to the response (`Warning: 299 - "…"`); absent where nobody listens. */
  warn?(message: string): void;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** Mutating phase. */
  admit?(a: AdmissionAttributes): Promise<void> | void;
  /** Validating phase. */
  validate?(a: AdmissionAttributes): Promise<void> | void;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[] = []) {}

  async admit(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(a);
  }

  async validate(a: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(a);
  }

  get isEmpty(): boolean {
    return this.plugins.length === 0;
  }
}
