/** ServiceCIDRs and IPAddresses (networking.k8s.io). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { rec, str, strs } from './json-fields.js';
import { swaggerDoc } from './swagger-doc.js';

export const serviceCIDRPrinter: Printer = {
  columns: [nameColumn, column('CIDRs', 'string', swaggerDoc.ServiceCIDRSpec.cidrs), ageColumn],
  row(obj, now) {
    return [obj.metadata.name ?? '', strs(rec(obj.spec).cidrs).join(','), translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

/**
 * NOTE: upstream declares only NAME and PARENTREF but also emits an AGE cell, which kubectl
 * drops; we emit only the declared cells so every row matches its columns.
 */
export const ipAddressPrinter: Printer = {
  columns: [nameColumn, column('ParentRef', 'string', swaggerDoc.IPAddressSpec.parentRef)],
  row(obj) {
    const ref = rec(rec(obj.spec).parentRef);
    let parent = '<none>';
    if (rec(obj.spec).parentRef !== undefined && rec(obj.spec).parentRef !== null) {
      const group = str(ref.group);
      const resource = str(ref.resource);
      parent = (group === '' ? resource : `${resource}.${group}`).toLowerCase();
      if (str(ref.namespace) !== '') parent += `/${str(ref.namespace)}`;
      parent += `/${str(ref.name)}`;
    }
    return [obj.metadata.name ?? '', parent];
  },
};
