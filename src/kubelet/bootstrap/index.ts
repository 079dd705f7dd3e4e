/** Secure node join and client certificate rotation for the node agent. */
export { bootstrapNodeCredentials, obtainClientCertificate, KUBELET_CLIENT_USAGES, type NodeCredentials, type NodeJoinOptions } from './bootstrap.js';
export { startClientCertificateRotation, type RotationOptions } from './rotation.js';
export { RotatingTransport } from './rotating-transport.js';
export { parseJoinToken, formatJoinToken, caCertHash, JoinTokenError, type JoinToken } from './join-token.js';
export { CaPinError, presentedCA, verifiedServerCA } from './server-ca.js';
export { kubeletKubeconfigPath, pkiDir, rotationDeadline, validity } from './client-certificate.js';
