/**
 * One allocation = one storage key whose value names the owning Service. Creating the key is
 * the compare-and-swap that makes an IP or port ours, so several API servers sharing a store
 * never hand out the same value.
 */
import type { Clock } from '../../base/clock.js';
import type { Storage } from '../../storage/interface.js';
import { KeyExistsError, NotFoundError, ConflictError } from '../../storage/interface.js';

export const SERVICE_IPS_PREFIX = '/registry/ranges/serviceips/';
export const SERVICE_NODE_PORTS_PREFIX = '/registry/ranges/servicenodeports/';

export interface AllocationOwner {
  namespace: string;
  name: string;
  uid: string;
}

export interface AllocationRecord extends AllocationOwner {
  /** Milliseconds since the epoch; repair leaves young records alone (a create may be in flight). */
  allocatedAt: number;
}

export interface AllocationEntry {
  value: string;
  record: AllocationRecord | undefined;
  modRevision: number;
}

export function parseRecord(text: string): AllocationRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<AllocationRecord>;
    if (typeof r.uid !== 'string' || typeof r.name !== 'string') return undefined;
    return { namespace: String(r.namespace ?? ''), name: r.name, uid: r.uid, allocatedAt: Number(r.allocatedAt ?? 0) };
  } catch {
    return undefined;
  }
}

/** The allocation keys under one prefix (all service IPs, or all node ports). */
export class AllocationKeys {
  constructor(
    private readonly storage: Storage,
    readonly prefix: string,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  key(value: string): string {
    return `${this.prefix}${value}`;
  }

  /** True when the key was created for `owner`; false when someone holds it already. */
  async claim(value: string, owner: AllocationOwner): Promise<boolean> {
    const record: AllocationRecord = { namespace: owner.namespace, name: owner.name, uid: owner.uid, allocatedAt: this.clock.now() };
    try {
      await this.storage.create(this.key(value), JSON.stringify(record));
      return true;
    } catch (err) {
      if (err instanceof KeyExistsError) return false;
      throw err;
    }
  }

  async holder(value: string): Promise<AllocationEntry | undefined> {
    const kv = await this.storage.get(this.key(value));
    if (!kv) return undefined;
    return { value, record: parseRecord(kv.value), modRevision: kv.modRevision };
  }

  /**
   * Deletes the key. With `ownerUid` only when that Service holds it, so undoing one request
   * can never free a value another Service owns.
   */
  async release(value: string, ownerUid?: string): Promise<boolean> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const kv = await this.storage.get(this.key(value));
      if (!kv) return false;
      if (ownerUid !== undefined && parseRecord(kv.value)?.uid !== ownerUid) return false;
      try {
        await this.storage.delete(kv.key, kv.modRevision);
        return true;
      } catch (err) {
        if (err instanceof NotFoundError) return false;
        if (!(err instanceof ConflictError)) throw err;
      }
    }
    return false;
  }

  /** Every allocation under the prefix, read in pages. */
  async list(): Promise<AllocationEntry[]> {
    const out: AllocationEntry[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.storage.list(this.prefix, { limit: 1000, startAfter });
      for (const kv of page.items) {
        out.push({ value: kv.key.slice(this.prefix.length), record: parseRecord(kv.value), modRevision: kv.modRevision });
      }
      if (!page.more || page.items.length === 0) return out;
      startAfter = page.items[page.items.length - 1].key;
    }
  }

  async remove(entry: AllocationEntry): Promise<boolean> {
    try {
      await this.storage.delete(this.key(entry.value), entry.modRevision);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof ConflictError) return false;
      throw err;
    }
  }
}
