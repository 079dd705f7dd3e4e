/** Service ClusterIP and NodePort allocation, decided by the store. */
export { serviceHooks, DEFAULT_NODE_PORT_RANGE, type ServiceHooksConfig, type ServiceStoreHooks } from './service-hooks.js';
export { ServiceIPAllocator, firstServiceIP, parseServiceCIDR } from './ip-allocator.js';
export { NodePortAllocator, parsePortRange } from './port-allocator.js';
export { AllocationError } from './allocation-error.js';
export { SERVICE_IPS_PREFIX, SERVICE_NODE_PORTS_PREFIX } from './allocation-record.js';
export { repairAllocations, listServicesFromStorage, type RepairReport, type RepairOptions } from './repair.js';
export { ensureKubernetesService, boundTarget, type BootstrapTarget, type KubernetesServiceOptions } from './bootstrap.js';
export { prepareServiceUpdate } from './prepare-update.js';
