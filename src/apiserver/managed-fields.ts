/** Binds the generic store's managedFields hook to the field manager and the type registry. */
import { apiVersionOf } from '../api/resource-type.js';
import type { TypeRegistry } from '../api/schema/types.js';
import { updateManagedFields } from '../api/patch/managed-fields.js';
import type { ManagedFieldsUpdater } from '../registry/store.js';

export function managedFieldsUpdater(types: () => TypeRegistry): ManagedFieldsUpdater {
  return ({ old, obj, rt, ctx, now }) => {
    const registry = types();
    return updateManagedFields({
      old,
      obj,
      manager: ctx.manager,
      apiVersion: apiVersionOf(rt),
      subresource: ctx.subresource,
      now,
      schema: registry.schemaFor({ group: rt.group, version: rt.version, kind: rt.kind }),
      registry,
    });
  };
}
