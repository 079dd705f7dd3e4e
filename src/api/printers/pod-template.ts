/** PodTemplates: CONTAINERS, IMAGES and POD LABELS, all at priority 0 and without AGE. */
import type { Printer } from '../resource-type.js';
import { column, containerColumns, nameColumn } from './columns.js';
import { containerCells } from './container-cells.js';
import { rec } from './json-fields.js';
import { formatLabels } from './label-selector.js';

export const podTemplatePrinter: Printer = {
  columns: [nameColumn, ...containerColumns(0), column('Pod Labels', 'string', 'The labels for the pod template.')],
  row(obj) {
    const template = rec(obj.template);
    const [names, images] = containerCells(rec(template.spec).containers);
    return [obj.metadata.name ?? '', names, images, formatLabels(rec(template.metadata).labels)];
  },
};
