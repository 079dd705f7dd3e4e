/**
 * The labels and annotations upstream's kubelet puts on CRI sandboxes and containers. skiff
 * uses the same names so `crictl` shows pods the usual way and so a restarted agent finds
 * (re-adopts) what it started.
 */
export const POD_NAME = 'io.kubernetes.pod.name';
export const POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const POD_UID = 'io.kubernetes.pod.uid';
export const CONTAINER_NAME = 'io.kubernetes.container.name';
/** Marks what skiff's agent created (upstream's kubelet uses the same marker on sandboxes). */
export const KUBERNETES_MANAGED = 'io.cri-containerd.kind';
export const CONTAINER_HASH = 'io.kubernetes.container.hash';
export const CONTAINER_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const TERMINATION_MESSAGE_PATH = 'io.kubernetes.container.terminationMessagePath';
export const TERMINATION_MESSAGE_POLICY = 'io.kubernetes.container.terminationMessagePolicy';
export const TERMINATION_GRACE_PERIOD = 'io.kubernetes.pod.terminationGracePeriod';
export const PRESTOP_HANDLER = 'io.kubernetes.container.preStopHandler';
export const CONFIG_SOURCE = 'kubernetes.io/config.source';
export const CONFIG_SEEN = 'kubernetes.io/config.seen';
/** skiff's own: whether a container ran as an init container. */
export const CONTAINER_TYPE = 'io.skiff.container.type';
