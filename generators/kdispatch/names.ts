// The C names of one profile's generated interface; header, source and docs share them.
import type { ProfilePlan, RequestPlan } from './plan.ts';

export interface ProfileNames {
  /** Tag of the opaque device struct the driver defines. */
  readonly dev: string;
  /** Tag of the generated facts struct. */
  readonly facts: string;
  readonly isOwner: string;
  readonly readStatus: string;
  readonly readFacts: string;
  readonly ioctl: string;
  readonly compatIoctl: string;
  handler(r: RequestPlan): string;
  /** The static function that runs a request's checks, then its handler. */
  check(r: RequestPlan): string;
}

/** Handler name parts a request may not take (they are the hooks and entry points). */
export const RESERVED = ['is_owner', 'read_status', 'read_facts', 'ioctl', 'compat_ioctl', 'dev', 'facts'];

export function profileNames(p: ProfilePlan): ProfileNames {
  const x = p.prefix;
  return {
    dev: `${x}_dev`,
    facts: `${x}_facts`,
    isOwner: `${x}_is_owner`,
    readStatus: `${x}_read_status`,
    readFacts: `${x}_read_facts`,
    ioctl: `${x}_ioctl`,
    compatIoctl: `${x}_compat_ioctl`,
    handler: (r) => `${x}_${r.short}`,
    check: (r) => `${x}_do_${r.short}`,
  };
}
