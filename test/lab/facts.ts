// Facts of the device under test and the kernel build (the model's dev.NAME): from the probe's
// device report, the parent module's symbol table and the kernel config.
import type { KernelId } from './config.ts';
import { kernelConfig, moduleFunctions } from './kernel.ts';
import type { ProbeMatrix } from './matrix.ts';

/** Symbols that implement each optional vdpa_config_ops operation in vduse.ko (names changed in 7.x). */
const VDUSE_OPS: Record<string, string[]> = {
  has_suspend: ['vduse_vdpa_suspend'],
  has_resume: ['vduse_vdpa_resume'],
  has_get_vq_group: ['vduse_vdpa_get_vq_group', 'vduse_get_vq_group'],
  has_get_vq_desc_group: ['vduse_vdpa_get_vq_desc_group', 'vduse_get_vq_desc_group'],
  has_set_group_asid: ['vduse_vdpa_set_group_asid', 'vduse_set_group_asid'],
  has_get_vq_size: ['vduse_vdpa_get_vq_size', 'vduse_get_vq_size'],
};

/** The probe creates its VDUSE device with API version 0 (test/lab/probe/vdpa_probe.c). */
const PROBE_VDUSE_API_VERSION = 0;

export function deviceFacts(m: ProbeMatrix, kernel: KernelId): Map<string, bigint> {
  const fns = moduleFunctions('vduse', kernel);
  const cfg = kernelConfig(kernel);
  const b = (x: boolean): bigint => (x ? 1n : 0n);
  const facts = new Map<string, bigint>([
    ['nvqs', BigInt(m.device.vqs)],
    ['nas', BigInt(m.device.as_num)],
    ['config_size', BigInt(m.device.config_size)],
    ['vq_num_max', BigInt(m.device.vring_num)],
    ['backend_features', BigInt(m.device.backend_features)],
    // vhost's module parameter; the lab loads vhost without parameters
    ['max_mem_regions', 64n],
    // VDUSE's set_driver_features stores whatever it is given
    ['parent_accepts', (1n << 64n) - 1n],
    ['cross_endian_legacy', b(cfg.get('CONFIG_VHOST_CROSS_ENDIAN_LEGACY') === 'y')],
    ['iova_first', BigInt(m.device.iova_first)],
    ['iova_last', BigInt(m.device.iova_last)],
    // VDUSE allocates its vdpa device with use_va (it maps user virtual addresses)
    ['use_va', 1n],
  ]);
  for (const [fact, names] of Object.entries(VDUSE_OPS)) facts.set(fact, b(names.some((n) => fns.has(n))));
  // VDUSE refuses set_group_asid for devices created with API version 0 (7.2: EINVAL).
  facts.set('group_asid_refused', b(PROBE_VDUSE_API_VERSION < 1));
  return facts;
}
