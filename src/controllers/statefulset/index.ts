export { statefulSetController, StatefulSetController } from './statefulset-controller.js';
