/** Per-cycle scratch space shared by a pod's plugins (upstream CycleState); one per attempt. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter/PreScore returned Skip: their Filter/Score are not run. */
  skipFilterPlugins = new Set<string>();
  skipScorePlugins = new Set<string>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  /** A copy whose values are shallow-copied; plugins whose state mutates must clone it themselves. */
  clone(): CycleState {
    const c = new CycleState();
    c.skipFilterPlugins = this.skipFilterPlugins;
    c.skipScorePlugins = this.skipScorePlugins;
    for (const [k, v] of this.data) c.data.set(k, isCloneable(v) ? v.clone() : v);
    return c;
  }
}

export interface Cloneable {
  clone(): unknown;
}

function isCloneable(v: unknown): v is Cloneable {
  return typeof v === 'object' && v !== null && typeof (v as Cloneable).clone === 'function';
}
