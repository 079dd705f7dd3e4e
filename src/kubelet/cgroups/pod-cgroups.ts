/**
 * Pod-level cgroups, which containerd does not manage: `<root>/<qos>/pod<uid>` in every
 * cgroup v1 hierarchy (Guaranteed pods sit directly under the root, as upstream places them).
 * Created before the sandbox, removed after it, deepest first.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface PodCgroupsOptions {
  /** The cgroup root of all pods (default `/kubepods`). */
  root: string;
  /** Where the cgroup hierarchies are mounted (default `/sys/fs/cgroup`). */
  mountRoot?: string;
}

export class PodCgroups {
  private readonly mountRoot: string;

  constructor(private readonly opts: PodCgroupsOptions) {
    this.mountRoot = opts.mountRoot ?? '/sys/fs/cgroup';
  }

  get root(): string {
    return this.opts.root;
  }

  /** The pod's cgroup parent, as CRI takes it. */
  podCgroup(qos: QOSClass, uid: string): string {
    return qos === 'Guaranteed' ? `${this.opts.root}/pod${uid}` : `${this.opts.root}/${qos.toLowerCase()}/pod${uid}`;
  }

  /** Mounted hierarchies: one folder per v1 controller (symlinked co-mounts skipped), and `unified`. */
  private hierarchies(): string[] {
    if (!existsSync(this.mountRoot)) return [];
    return readdirSync(this.mountRoot)
      .map((h) => join(this.mountRoot, h))
      .filter((p) => {
        try {
          return statSync(p).isDirectory() && existsSync(join(p, 'cgroup.procs'));
        } catch {
          return false;
        }
      });
  }

  ensure(cgroup: string): void {
    for (const h of this.hierarchies()) {
      try {
        mkdirSync(join(h, cgroup), { recursive: true });
      } catch {
        // read-only or unsupported hierarchy: runc creates what it needs
      }
    }
  }

  /** Removes the cgroup and anything left below it; a cgroup still holding tasks stays. */
  remove(cgroup: string): void {
    for (const h of this.hierarchies()) removeTree(join(h, cgroup));
  }

  /** Pod UIDs with a cgroup under the root in any hierarchy (for orphan cleanup). */
  podUids(): Map<string, string> {
    const out = new Map<string, string>();
    for (const h of this.hierarchies()) {
      for (const parent of [this.opts.root, `${this.opts.root}/burstable`, `${this.opts.root}/besteffort`]) {
        const dir = join(h, parent);
        if (!existsSync(dir)) continue;
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          if (e.isDirectory() && e.name.startsWith('pod')) out.set(e.name.slice(3), `${parent}/${e.name}`);
        }
      }
    }
    return out;
  }
}

function removeTree(path: string): void {
  if (!existsSync(path)) return;
  try {
    for (const e of readdirSync(path, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(path, e.name));
    rmdirSync(path);
  } catch {
    // busy (tasks left) or already gone
  }
}
