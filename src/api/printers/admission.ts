/** Admission webhook configurations and ValidatingAdmissionPolicies (+ bindings). */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, nameColumn } from './columns.js';
import { translateTimestampSince } from './human-duration.js';
import { arr, rec, str } from './json-fields.js';
import { labelSelectorString } from './label-selector.js';

function webhookConfigurationPrinter(): Printer {
  return {
    columns: [
      nameColumn,
      column('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'),
      ageColumn,
    ],
    row(obj, now) {
      return [obj.metadata.name ?? '', arr(obj.webhooks).length, translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  };
}

export const mutatingWebhookConfigurationPrinter = webhookConfigurationPrinter();
export const validatingWebhookConfigurationPrinter = webhookConfigurationPrinter();

export const validatingAdmissionPolicyPrinter: Printer = {
  columns: [
    nameColumn,
    column('Validations', 'integer', 'Validations indicates the number of validation rules defined in this configuration'),
    column('ParamKind', 'string', 'ParamKind specifies the kind of resources used to parameterize this policy'),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const paramKind = spec.paramKind === undefined || spec.paramKind === null ? '<unset>' : `${str(rec(spec.paramKind).apiVersion)}/${str(rec(spec.paramKind).kind)}`;
    return [obj.metadata.name ?? '', arr(spec.validations).length, paramKind, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};

export const validatingAdmissionPolicyBindingPrinter: Printer = {
  columns: [
    nameColumn,
    column('PolicyName', 'string', 'PolicyName indicates the policy definition which the policy binding binded to'),
    column('ParamRef', 'string', 'ParamRef indicates the param resource which sets the configration param'),
    ageColumn,
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    let param = '<unset>';
    if (spec.paramRef !== undefined && spec.paramRef !== null) {
      const ref = rec(spec.paramRef);
      if (str(ref.name) !== '') {
        // Whether the param is cluster-scoped is unknown here, so a missing namespace reads `*`.
        param = `${str(ref.namespace) || '*'}/${str(ref.name)}`;
      } else if (ref.selector !== undefined && ref.selector !== null) {
        param = labelSelectorString(ref.selector) ?? '';
      }
    }
    return [obj.metadata.name ?? '', str(spec.policyName), param, translateTimestampSince(obj.metadata.creationTimestamp, now)];
  },
};
