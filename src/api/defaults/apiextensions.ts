/** apiextensions.k8s.io/v1 defaulting (upstream apiextensions v1 defaults.go). */
import type { KubeObject } from '../object.js';
import { child, existing, setDefault, setDefaultString } from './set-default.js';

export function defaultCustomResourceDefinition(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!spec) return;
  const names = existing(spec, 'names');
  if (names && typeof names.kind === 'string') {
    setDefaultString(names, 'singular', names.kind.toLowerCase());
    setDefaultString(names, 'listKind', `${names.kind}List`);
  }
  const conversion = child(spec, 'conversion');
  if (conversion) {
    setDefaultString(conversion, 'strategy', 'None');
    const service = existing(existing(existing(conversion, 'webhook'), 'clientConfig'), 'service');
    if (service) setDefault(service, 'port', 443);
  }
}
