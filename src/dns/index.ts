/** Cluster DNS: the server, the kube-dns Service and pods' resolver configuration. */
export { startClusterDNS, defaultUpstreams, type ClusterDNS, type ClusterDNSOptions, type ListenAddress } from './server.js';
export { ensureKubeDNSService, kubeDNSService, DEFAULT_CLUSTER_DNS_IP } from './kube-dns-service.js';
export { podDNSConfig, podDNSType, formatResolvConf, type PodDNSConfigInput, type PodDNSSettings } from './pod-dns-config.js';
export { parseResolvConf, withoutLoopback, DEFAULT_RESOLV_CONF, type ResolvConf } from './resolv-conf.js';
