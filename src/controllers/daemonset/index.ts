export { daemonSetController, DaemonSetController } from './daemonset-controller.js';
