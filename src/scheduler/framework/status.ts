/**
 * The outcome of one plugin at one extension point (upstream framework.Status). Filters
 * return reasons that end up, counted, in the FailedScheduling message.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Skip';

export class Status {
  /** The plugin that produced a failing status, filled in by the framework. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    readonly error?: Error,
  ) {}

  static success(): Status {
    return SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static error(err: unknown): Status {
    const e = err instanceof Error ? err : new Error(String(err));
    return new Status('Error', [e.message], e);
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(plugin: string): Status {
    if (this === SUCCESS || this.plugin === plugin) return this;
    const s = new Status(this.code, this.reasons, this.error);
    s.plugin = plugin;
    return s;
  }
}

const SUCCESS = new Status('Success');

/** Plugin names as upstream spells them (they appear in logs and queueing decisions). */
export const PluginNames = {
  PrioritySort: 'PrioritySort',
  NodeName: 'NodeName',
  NodeUnschedulable: 'NodeUnschedulable',
  NodeResourcesFit: 'NodeResourcesFit',
  NodeResourcesBalancedAllocation: 'NodeResourcesBalancedAllocation',
  NodeAffinity: 'NodeAffinity',
  TaintToleration: 'TaintToleration',
  NodePorts: 'NodePorts',
  PodTopologySpread: 'PodTopologySpread',
  InterPodAffinity: 'InterPodAffinity',
  VolumeBinding: 'VolumeBinding',
  DefaultPreemption: 'DefaultPreemption',
  DefaultBinder: 'DefaultBinder',
} as const;
