// One shape for every problem the tool reports: where, which rule, what, and what to do.

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  file: string;
  line: number;
  col: number;
}

export interface Diagnostic extends Position {
  rule: string;
  severity: Severity;
  message: string;
  hint?: string;
}

/** Thrown for problems in the user's input; the CLI prints it without a stack trace. */
export class SpecError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    this.name = 'SpecError';
  }
}

export function formatDiagnostic(d: Diagnostic, color = false): string {
  const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const sev = d.severity === 'error' ? paint('31', 'error') : d.severity === 'warning' ? paint('33', 'warning') : paint('36', 'info');
  const where = paint('1', `${d.file}:${d.line}:${d.col}`);
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}: ${sev} [${d.rule}] ${d.message}${hint}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule),
  );
}
