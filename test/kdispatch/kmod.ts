// An out-of-tree module around a generated dispatch, so the kernel's own build (gcc -Werror,
// W=1, sparse with C=2) compiles it against the lab's 6.12 headers. The stub device answers
// every handler with -EOPNOTSUPP: the build only needs each one to exist with its exact type.
// Several dispatches (vhost-vdpa-net and the 2019 vhost-mdev-v2) may go into one module.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { handlerParams } from '../../generators/kdispatch/handler.ts';
import { kdispatchEmitter, planProfile, profileNames } from '../../generators/kdispatch/index.ts';
import { renderFile } from '../../src/emit/index.ts';
import type { AbiView } from '../../src/model/index.ts';
import { PROFILE } from './build.ts';

/** One generated dispatch in the module: a profile of a view (the kernel spec's or a proposal's). */
export interface ModulePart {
  readonly view: AbiView;
  readonly profile: string;
}

function stub(view: AbiView, profile: string): string {
  const plan = planProfile(view, profile);
  const n = profileNames(plan);
  const handlers = plan.requests.filter((r) => r.handler).map((r) => [
    `long ${n.handler(r)}(${handlerParams(n, r).map((p) => p.decl).join(', ')})`,
    '{',
    '\treturn -EOPNOTSUPP;',
    '}',
  ].join('\n'));
  return [
    '// SPDX-License-Identifier: GPL-2.0',
    '/* A stub device for the generated dispatch: every handler is -EOPNOTSUPP. */',
    '#include <linux/errno.h>',
    `#include "${profile}.h"`,
    '',
    `struct ${n.dev} {`,
    '\tbool owner;',
    `\t${plan.statusType} status;`,
    `\tstruct ${n.facts} facts;`,
    '};',
    '',
    `bool ${n.isOwner}(struct ${n.dev} *dev)`, '{', '\treturn dev->owner;', '}',
    '',
    `${plan.statusType} ${n.readStatus}(struct ${n.dev} *dev)`, '{', '\treturn dev->status;', '}',
    '',
    `const struct ${n.facts} *${n.readFacts}(struct ${n.dev} *dev)`, '{', '\treturn &dev->facts;', '}',
    '',
    ...handlers.flatMap((h) => [h, '']),
  ].join('\n');
}

/**
 * Writes the module's sources (Kbuild, the generated files, a stub per profile) into `dir`.
 * Several parts build into one module: their symbols, macros and structs must not clash.
 */
export function moduleDir(what: AbiView | readonly ModulePart[], dir: string): string {
  const parts: readonly ModulePart[] = Array.isArray(what) ? what : [{ view: what as AbiView, profile: PROFILE }];
  mkdirSync(dir, { recursive: true });
  const objects: string[] = [];
  for (const { view, profile } of parts) {
    const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}` };
    for (const f of kdispatchEmitter.emit(view, options)) {
      if (f.path === `kernel/${profile}.c` || f.path === `kernel/${profile}.h`) writeFileSync(join(dir, f.path.replace(/^kernel\//, '')), renderFile(f, options));
    }
    const stubName = `stub-${profile}`;
    writeFileSync(join(dir, `${stubName}.c`), stub(view, profile));
    objects.push(`${profile}.o`, `${stubName}.o`);
  }
  writeFileSync(join(dir, 'main.c'), [
    '// SPDX-License-Identifier: GPL-2.0',
    '/* The module around the stubs: nothing runs, the build is the check. */',
    '#include <linux/module.h>',
    // Every header in one translation unit: a macro or struct defined twice fails here.
    ...parts.map((p) => `#include "${p.profile}.h"`),
    '',
    'MODULE_LICENSE("GPL");',
    `MODULE_DESCRIPTION("Generated ${parts.map((p) => p.profile).join(' and ')} dispatch over stub devices (build check)");`,
    '',
  ].join('\n'));
  writeFileSync(join(dir, 'Kbuild'), [
    '# SPDX-License-Identifier: GPL-2.0',
    'obj-m += kdispatch_check.o',
    `kdispatch_check-y := ${[...objects, 'main.o'].join(' ')}`,
    '',
  ].join('\n'));
  return dir;
}
