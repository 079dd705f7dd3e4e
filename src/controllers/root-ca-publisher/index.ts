/** Root CA ConfigMap publisher. */
export { RootCACertPublisher, rootCACertPublisher, ROOT_CA_CONFIGMAP } from './root-ca-cert-publisher.js';
