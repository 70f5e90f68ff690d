// JSDoc of generated declarations: the spec's doc and the item's lifetime, always.
import type { AbiView } from '../../src/model/index.ts';

/** generated/ts/abi.ts, as family modules import it. */
export const SUPPORT = './abi.ts';
/** generated/ts/client.ts. */
export const CLIENT = './client.ts';

interface Lived {
  readonly since?: string;
  readonly until?: string;
  readonly deprecated?: string;
}

/**
 * Doc text with @since (the item's, else its family's, else the first version the spec knows,
 * which it may predate) and @until.
 */
export function docs(text: string, item: Lived, view: AbiView, family?: string): string[] {
  const since = item.since ?? view.families.find((f) => f.name === family)?.since;
  const tags = [
    `@since ${since ?? `${view.specVersions[0] as string} (or earlier)`}`,
    ...(item.until ? [`@until ${item.until}`] : []),
    ...(item.deprecated ? [`@deprecated ${item.deprecated}`] : []),
  ];
  // A doc may quote C comments; '*/' would end the JSDoc early.
  return [[text.trim().replaceAll('*/', '*\\/'), '', ...tags].join('\n')];
}
