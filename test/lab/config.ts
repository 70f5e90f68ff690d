// The kernels the lab boots, their packages and module load order, and the one
// kernel it builds modules for.

export type KernelId = '6.12' | '7.2';

export interface LabKernel {
  id: KernelId;
  /** `uname -r` of the guest. */
  release: string;
  /** Debian suite the packages come from (documentation; apt picks the candidate over all suites). */
  suite: string;
  /**
   * Packages whose unpacked trees hold vmlinuz, the config, modules.builtin and the modules.
   * trixie ships them in one linux-image; sid splits them (linux-image is a metapackage there).
   */
  packages: string[];
  /**
   * Loaded by the guest's init in this order; each module's modinfo `depends` must be earlier
   * in the list or built in (checked when the initramfs is built). virtio and virtio_pci are built in.
   */
  guestModules: string[];
}

// Same set and order on both kernels: on 7.2.13 all ten are still modules (none moved into
// modules.builtin) with the same dependencies as on 6.12 (modinfo depends: 9pnet and 9p need
// netfs, vhost needs vhost_iotlb, vhost_vdpa needs vdpa vhost_iotlb vhost irqbypass, vduse
// needs vhost_iotlb vdpa).
const MODULES = ['netfs', '9pnet', '9pnet_virtio', '9p', 'irqbypass', 'vhost_iotlb', 'vhost', 'vdpa', 'vhost_vdpa', 'vduse'];

export const KERNELS: Record<KernelId, LabKernel> = {
  '6.12': {
    id: '6.12', release: '6.12.117+deb13-amd64', suite: 'trixie',
    packages: ['linux-image-6.12.117+deb13-amd64'],
    guestModules: MODULES,
  },
  '7.2': {
    id: '7.2', release: '7.2.13+deb14-amd64', suite: 'sid',
    // binary: vmlinuz; modules: kernel/**/*.ko.xz; base: config, System.map, modules.builtin
    packages: ['linux-binary-7.2.13+deb14-amd64', 'linux-modules-7.2.13+deb14-amd64', 'linux-base-7.2.13+deb14-amd64'],
    guestModules: MODULES,
  },
};

export const DEFAULT_KERNEL: KernelId = '6.12';

export function labKernel(id: KernelId = DEFAULT_KERNEL): LabKernel {
  const k = KERNELS[id];
  if (!k) throw new Error(`unknown lab kernel ${String(id)} (known: ${Object.keys(KERNELS).join(', ')})`);
  return k;
}

export function isKernelId(s: string): s is KernelId {
  return Object.hasOwn(KERNELS, s);
}

// Out-of-tree modules build for 6.12 only (the trixie chroot has its headers).
export const KERNEL_RELEASE = KERNELS['6.12'].release;
export const KBUILD_VERSION = '6.12.117+deb13';
export const HEADER_PKGS = [
  `linux-headers-${KERNEL_RELEASE}`,
  `linux-headers-${KBUILD_VERSION}-common`,
  `linux-kbuild-${KBUILD_VERSION}`,
];
/** UAPI headers of 6.12, for the probe compiled on the host (the same binary runs on 7.2). */
export const LIBC_DEV = { pkg: 'linux-libc-dev', version: '6.12.117-1' };
export const CHROOT_SUITE = 'trixie';
export const CHROOT_PACKAGES = ['gcc-14', 'make', 'libc6-dev', 'libelf-dev', 'bc', 'kmod', 'dwarves'];
