// The one kernel the lab boots and builds modules for, and where its parts live.
export const KERNEL_RELEASE = '6.12.117+deb13-amd64';
export const KBUILD_VERSION = '6.12.117+deb13';
export const IMAGE_PKG = `linux-image-${KERNEL_RELEASE}`;
export const HEADER_PKGS = [
  `linux-headers-${KERNEL_RELEASE}`,
  `linux-headers-${KBUILD_VERSION}-common`,
  `linux-kbuild-${KBUILD_VERSION}`,
];
/** UAPI headers of the same kernel, for the probe compiled on the host. */
export const LIBC_DEV = { pkg: 'linux-libc-dev', version: '6.12.117-1' };
export const CHROOT_SUITE = 'trixie';
export const CHROOT_PACKAGES = ['gcc-14', 'make', 'libc6-dev', 'libelf-dev', 'bc', 'kmod', 'dwarves'];

/** Loaded by the guest's init in this order (virtio and virtio_pci are built in). */
export const GUEST_MODULES = [
  'netfs', '9pnet', '9pnet_virtio', '9p',
  'irqbypass', 'vhost_iotlb', 'vhost', 'vdpa', 'vhost_vdpa', 'vduse',
];
