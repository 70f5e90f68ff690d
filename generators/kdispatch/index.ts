// generators/kdispatch: the kernel ioctl dispatch of every device profile whose fd kind has an
// executable behaviour at the version: generated/kernel/<profile>.h (the driver interface) and
// <profile>.c (the checks and the switch). docs/kdispatch.md says how a driver uses them.
import type { Emitter, GeneratedFile } from '../../src/emit/index.ts';
import type { AbiView } from '../../src/model/index.ts';
import { renderHeader } from './header.ts';
import { executableProfiles, planProfile } from './plan.ts';
import { renderSource } from './source.ts';

export { KdispatchError } from './error.ts';
export { executableProfiles, planProfile, type ProfilePlan, type RequestPlan, type Step } from './plan.ts';
export { profileNames, type ProfileNames } from './names.ts';

function profileFiles(view: AbiView, mode: (profile: string) => string): GeneratedFile[] {
  return executableProfiles(view).flatMap((profile): GeneratedFile[] => {
    const plan = planProfile(view, profile);
    // The banner names the file of the fd kind, its dispatch and the profile: naming the type and
    // constant files too would put the banner line past checkpatch's 100 columns.
    const common = { license: 'GPL-2.0', sources: plan.sources.slice(0, 1), mode: mode(profile) };
    return [
      { ...common, syntax: 'c', path: `kernel/${profile}.h`, body: renderHeader(plan, `${profile}.h`) },
      // A kernel .c file takes its SPDX tag as a // comment (Documentation/process/license-rules.rst);
      // the framework writes // comments for the 'ts' syntax, and C accepts them.
      { ...common, syntax: 'ts', path: `kernel/${profile}.c`, body: renderSource(plan, `${profile}.h`) },
    ];
  });
}

export const kdispatchEmitter: Emitter = {
  name: 'kdispatch',
  owns: 'kernel',
  emit(view, options) {
    // The kernel spec at the generated version, then the proposals of spec/history at theirs
    // (the 2019 vhost-mdev v2 design runs in the out-of-tree module, kernel/).
    const files = profileFiles(view, (profile) => `kdispatch ${profile}, kernel ${view.version}`);
    for (const h of options.history ?? []) {
      const at = h.spec.at(h.spec.newest);
      // A history spec's path is longer: a shorter mode keeps the banner within 100 columns.
      files.push(...profileFiles(at, () => `kdispatch ${at.version}`));
    }
    return files;
  },
};
