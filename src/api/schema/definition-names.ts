/**
 * kubernetes-models spells upstream definition names in PascalCase
 * (`IoK8sApiAppsV1DeploymentSpec`); OpenAPI documents use the dotted Go package path
 * (`io.k8s.api.apps.v1.DeploymentSpec`). The Go packages are a short, fixed list, so the
 * prefixes are spelled out rather than guessed from capitalisation.
 */
const fixedPrefixes: [string, string][] = [
  ['IoK8sApimachineryPkgApisMetaV1', 'io.k8s.apimachinery.pkg.apis.meta.v1'],
  ['IoK8sApimachineryPkgApiResource', 'io.k8s.apimachinery.pkg.api.resource'],
  ['IoK8sApimachineryPkgUtilIntstr', 'io.k8s.apimachinery.pkg.util.intstr'],
  ['IoK8sApimachineryPkgRuntime', 'io.k8s.apimachinery.pkg.runtime'],
  ['IoK8sApimachineryPkgVersion', 'io.k8s.apimachinery.pkg.version'],
  ['IoK8sApiextensionsApiserverPkgApisApiextensionsV1', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'],
  ['IoK8sKubeAggregatorPkgApisApiregistrationV1', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1'],
];

/** `IoK8sApi<Package><Version><Kind>`: every k8s.io/api package name is one lower-case word. */
const apiPackage = /^IoK8sApi([A-Z][a-z0-9]*)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/;

export function definitionNameOf(pascalName: string): string | undefined {
  for (const [prefix, dotted] of fixedPrefixes) {
    if (pascalName.startsWith(prefix) && /^[A-Z]/.test(pascalName.slice(prefix.length))) {
      return `${dotted}.${pascalName.slice(prefix.length)}`;
    }
  }
  const m = apiPackage.exec(pascalName);
  if (!m) return undefined;
  return `io.k8s.api.${m[1].toLowerCase()}.${m[2].toLowerCase()}.${m[3]}`;
}
