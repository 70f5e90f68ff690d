// How diagnostics reach the user: text (colour only on a terminal, never with NO_COLOR) or JSON.
import { formatDiagnostic, type Diagnostic } from '../diagnostics.ts';

export type Format = 'text' | 'json';

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

export function printDiagnostics(list: Diagnostic[], format: Format, summary: string): void {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify({ diagnostics: list, summary }, null, 2)}\n`);
    return;
  }
  const color = useColor(process.stderr);
  for (const d of list) process.stderr.write(`${formatDiagnostic(d, color)}\n`);
  process.stderr.write(`${summary}\n`);
}

export function countBySeverity(list: Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.filter((d) => d.severity === 'warning').length;
  return `${errors} error(s), ${warnings} warning(s)`;
}
