/**
 * Reading what kubectl prints the way a person reads it: tables as rows of whitespace-separated
 * cells, errors as lines of stderr.
 */

/** Non-empty lines of a command's output. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** A printed table as rows of cells; row 0 is the header. Only for tables without spaces inside cells. */
export function tableRows(text: string): string[][] {
  return lines(text).map((l) => l.trim().split(/\s+/));
}

/** The header row of a printed table. */
export function header(text: string): string[] {
  return tableRows(text)[0] ?? [];
}

/** The row whose first cell is `name`, or undefined. */
export function rowNamed(text: string, name: string): string[] | undefined {
  return tableRows(text).find((r) => r[0] === name);
}

/** The first cells of every data row (the header excluded). */
export function names(text: string): string[] {
  return tableRows(text)
    .slice(1)
    .map((r) => r[0]!);
}

/** A line with its runs of whitespace collapsed to single spaces, for comparing table rows. */
export function squeeze(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}
