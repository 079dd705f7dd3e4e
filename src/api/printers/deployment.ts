/** Deployments: READY as ready/desired, UP-TO-DATE, AVAILABLE; wide CONTAINERS IMAGES SELECTOR. */
import type { Printer } from '../resource-type.js';
import { ageColumn, column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { translateTimestampSince } from './human-duration.js';
import { num, rec } from './json-fields.js';
import { labelSelectorString } from './label-selector.js';
import { swaggerDoc } from './swagger-doc.js';

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', swaggerDoc.DeploymentStatus.updatedReplicas),
    column('Available', 'string', swaggerDoc.DeploymentStatus.availableReplicas),
    ageColumn,
    ...containerColumns(),
    column('Selector', 'string', swaggerDoc.DeploymentSpec.selector, 1),
  ],
  row(obj, now) {
    const spec = rec(obj.spec);
    const status = rec(obj.status);
    const [names, images] = containerCells(rec(rec(spec.template).spec).containers);
    // Unlike most printers, an empty selector prints as an empty cell, not <none>.
    const selector = labelSelectorString(spec.selector) ?? '<invalid>';
    return [
      obj.metadata.name ?? '',
      `${num(status.readyReplicas)}/${num(spec.replicas)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      names,
      images,
      selector,
    ];
  },
};
