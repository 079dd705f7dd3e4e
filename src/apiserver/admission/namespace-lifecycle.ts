/**
 * NamespaceLifecycle (upstream apiserver pkg/admission/plugin/namespace/lifecycle): the
 * system namespaces may not be deleted, and nothing new is created in a namespace that is
 * missing or being terminated. (The create handler already refuses creates in a terminating
 * namespace before decoding; this covers every other path into the store.)
 */
import { notFound } from '../../api/status.js';
import { admissionForbidden } from './errors.js';
import { CachedReader, NAMESPACES } from './lookup.js';
import type { AdmissionAttributes, AdmissionPlugin } from './types.js';

/** Upstream's immortal namespaces. */
const IMMORTAL = new Set(['default', 'kube-system', 'kube-public']);

/** Resources a namespace's termination must not block (reviews are never stored). */
const ACCESS_REVIEWS = new Set(['localsubjectaccessreviews', 'tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews']);

export function namespaceLifecycle(reader: CachedReader): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(a: AdmissionAttributes) {
      if (a.rt.group === '' && a.rt.plural === 'namespaces') {
        if (a.operation === 'DELETE' && !a.subresource && IMMORTAL.has(a.name ?? '')) {
          throw admissionForbidden(a, 'this namespace may not be deleted');
        }
        return;
      }
      if (a.operation !== 'CREATE' || a.subresource || !a.rt.namespaced || !a.namespace || ACCESS_REVIEWS.has(a.rt.plural)) return;
      const ns = await reader.get(NAMESPACES, undefined, a.namespace, { fresh: true });
      if (!ns) throw notFound({ group: '', plural: 'namespaces' }, a.namespace);
      const terminating = ns.metadata.deletionTimestamp !== undefined || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating';
      // Events of a terminating namespace still record its cleanup.
      if (terminating && a.rt.plural !== 'events') {
        throw admissionForbidden(a, `unable to create new content in namespace ${a.namespace} because it is being terminated`, [
          { reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' },
        ]);
      }
    },
  };
}
