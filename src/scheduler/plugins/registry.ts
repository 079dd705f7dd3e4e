/**
 * The default profile: plugins in upstream's order (filters stop at the first rejection, so
 * the order decides which reason a node reports) with upstream's score weights.
 */
import type { WeightedPlugin } from '../framework/framework.js';
import type { Handle } from '../framework/interface.js';
import { BalancedAllocation } from './balanced-allocation.js';
import { DefaultBinder } from './default-binder.js';
import { DefaultPreemption } from './default-preemption.js';
import { InterPodAffinity } from './inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity.js';
import { NodeName } from './node-name.js';
import { NodePorts } from './node-ports.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { PodTopologySpread } from './pod-topology-spread.js';
import { TaintToleration } from './taint-toleration.js';
import { VolumeBinding } from './volume-binding.js';

export function defaultPlugins(handle: Handle): WeightedPlugin[] {
  return [
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodePorts() },
    { plugin: new NodeResourcesFit(), weight: 1 },
    { plugin: new VolumeBinding(handle) },
    { plugin: new PodTopologySpread(handle), weight: 2 },
    { plugin: new InterPodAffinity(handle), weight: 2 },
    { plugin: new DefaultPreemption(handle) },
    { plugin: new BalancedAllocation(), weight: 1 },
    { plugin: new DefaultBinder(handle) },
  ];
}
