// Preprocessor lines: #define with continuation, #if blocks around guarded declarations,
// include guards.
import type { Guard } from '../../model/index.ts';
import { commentSafe } from './comment.ts';
import { continued, cSpacing } from './spacing.ts';

/** `#define NAME VALUE`, spaced the kernel's way, continued over lines if wider than 100 columns. */
export function defineLines(head: string, spelling: string): string[] {
  return continued(`#define ${head}`, cSpacing(spelling));
}

function endif(g: Guard): string {
  return `#endif /* ${commentSafe(cSpacing(g.expr))} */`;
}

/** Consecutive lines with the same guard share one #if block. */
export function guarded(blocks: ReadonlyArray<{ guard?: Guard; lines: readonly string[] }>): string[] {
  const out: string[] = [];
  let open: Guard | undefined;
  const same = (a?: Guard, b?: Guard): boolean => a?.directive === b?.directive && a?.expr === b?.expr;
  for (const b of blocks) {
    if (!same(open, b.guard)) {
      if (open) out.push(endif(open));
      if (b.guard) out.push(`#${b.guard.directive} ${cSpacing(b.guard.expr)}`);
      open = b.guard;
    }
    out.push(...b.lines);
  }
  if (open) out.push(endif(open));
  return out;
}

/** The include guard the kernel would choose for a header path: linux/vhost.h -> _LINUX_VHOST_H. */
export function includeGuard(header: string): string {
  return `_${header.replace(/[^A-Za-z0-9]/g, '_').replace(/_h$/i, '_H').toUpperCase()}`;
}

/** A header body inside its include guard. */
export function withIncludeGuard(guard: string, body: string): string {
  return `#ifndef ${guard}\n#define ${guard}\n${body}\n#endif /* ${guard} */\n`;
}
