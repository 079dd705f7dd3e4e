/** The built-in resource table with upstream's printers joined onto its rows. */
import { builtinResources } from '../api/resources/index.js';
import { ResourceTable } from '../api/resources/table.js';
import { builtinPrinters } from '../api/printers/index.js';

export function builtinTableWithPrinters(): ResourceTable {
  const printers = builtinPrinters();
  return new ResourceTable(
    builtinResources().map((rt) => ({ ...rt, printer: rt.printer ?? printers[rt.group ? `${rt.kind}.${rt.group}` : rt.kind] })),
  );
}
