/** Upstream's layoutContainerCells: container names and images, each comma-joined. */
import { arr, str } from './json-fields.js';

export function containerCells(containers: unknown): [names: string, images: string] {
  const list = arr(containers);
  return [list.map((c) => str(c.name)).join(','), list.map((c) => str(c.image)).join(',')];
}
