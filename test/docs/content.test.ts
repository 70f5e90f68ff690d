// What the pages say, against values computed by hand from the C rules and the _IOC macros of
// each arch's asm/ioctl.h (the oracle suite proves the model itself against gcc), and against
// the history told in docs/vhost-mdev.md.
import { describe, expect, it } from 'vitest';
import { atVersion, render, section } from './support.ts';

const { pages } = render();
const page = (p: string): string => pages.get(p) ?? '';

describe('layout tables', () => {
  it('struct vhost_vring_addr: 40 bytes on x86_64; __u64 aligned to 4 on i386 and sh4, to 2 on m68k', () => {
    const s = section(page('docs/vhost-types.md'), 'struct vhost_vring_addr') ?? '';
    expect(s).toContain('Layout on x86_64: 40 bytes, aligned to 8.');
    // index, flags (4 each), then four __u64 at 8, 16, 24, 32.
    for (const [off, size, name] of [[0, 4, 'index'], [4, 4, 'flags'], [8, 8, 'desc_user_addr'], [16, 8, 'used_user_addr'], [24, 8, 'avail_user_addr'], [32, 8, 'log_guest_addr']] as const) {
      expect(s).toContain(`| ${off} | ${size} | \`${name}\` |`);
    }
    expect(s).toContain('- i386, sh4: alignment 4 (x86_64: 8).');
    expect(s).toContain('- m68k: alignment 2 (x86_64: 8).');
  });
  it('struct vhost_msg: int, a 4-byte hole, a 64-byte union at 8 (72); no hole and 68 bytes where __u64 aligns to 4 or 2', () => {
    const s = section(page('docs/vhost-types.md'), 'struct vhost_msg') ?? '';
    expect(s).toContain('Layout on x86_64: 72 bytes, aligned to 8.');
    expect(s).toContain('| 4 | 4 | *padding* |  | after `type` |');
    expect(s).toContain('| 8 | 64 | `(anonymous union)` |');
    // vhost_iotlb_msg is 3 x 8 + 2 = 26 bytes, rounded to 28 on i386 (align 4), 26 on m68k (align 2).
    expect(s).toMatch(/- i386, sh4: size 68 \(x86_64: 72\); alignment 4 \(x86_64: 8\); .*`iotlb` at 4, 28 bytes/);
    expect(s).toMatch(/- m68k: size 68 \(x86_64: 72\); alignment 2 \(x86_64: 8\); .*`iotlb` at 4, 26 bytes/);
  });
  it('struct vfio_device_info grew a pad word in 6.12: two blocks, 20 and 24 bytes', () => {
    const s = section(page('docs/vfio.md'), 'struct vfio_device_info') ?? '';
    expect(atVersion(s, '6.1')).toContain('Layout on x86_64: 20 bytes');
    expect(atVersion(s, '6.12')).toContain('Layout on x86_64: 24 bytes');
    expect(atVersion(s, '7.3')).toContain('| 20 | 4 | `pad` |');
  });
});

describe('requests', () => {
  it('numbers per ABI: _IOW(0xAF, 0x11, 40 bytes) is 0x4028af11 (generic) and 0x8028af11 (powerpc: write is 4 << 29; parisc: write is 2 << 30)', () => {
    const s = section(page('docs/vhost.md'), 'VHOST_SET_VRING_ADDR') ?? '';
    expect(s).toContain('| `0x4028af11` | 1076408081 | 40 | x86_64, i386, arm64, armhf, s390x, riscv64, m68k, sh4, x32 |');
    expect(s).toContain('| `0x8028af11` | 2150149905 | 40 | ppc64le, ppc64, powerpc, mips64el, mipsel, parisc, sparc64, alpha |');
  });
  it('read|write is 0xc0000000 in all three encodings: VHOST_GET_VRING_BASE is 0xc008af12 everywhere', () => {
    const s = section(page('docs/vhost.md'), 'VHOST_GET_VRING_BASE') ?? '';
    expect(s).toContain('| `0xc008af12` | 3221794578 | 8 | x86_64, i386, arm64, armhf, ppc64le, ppc64, powerpc, mips64el, mipsel, s390x, riscv64, parisc, sparc64, alpha, m68k, sh4, x32 |');
    expect(s).toContain('| data direction | in and out');
  });
  it('checks on an executable fd come in the kernel order: owner, ring index, flags, alignment, DRIVER_OK', () => {
    const s = atVersion(section(page('docs/vhost.md'), 'VHOST_SET_VRING_ADDR') ?? '', '7.3') ?? '';
    const vdpa = s.slice(s.indexOf('- On [`vhost-vdpa`]'));
    const errnos = [...vdpa.split('\n').slice(1).join('\n').matchAll(/^ {2}\d+\. .*→ \*\*(\w+)\*\*/gm)].map((m) => m[1]);
    expect(errnos).toEqual(['EPERM', 'EFAULT', 'ENOBUFS', 'EOPNOTSUPP', 'EINVAL', 'EINVAL', '0']);
  });
  it('the data direction the spec states where the encoding says otherwise (v2 getters posted as _IOW)', () => {
    const s = section(page('docs/history/vhost-mdev-v2.md'), 'VHOST_MDEV_GET_STATUS') ?? '';
    expect(s).toContain('`_IOW(VHOST_VIRTIO, 0x70, __u8)`');
    expect(s).toContain('| data direction | out (kernel to user) (stated by the spec) |');
    expect(s).toContain('| `0x4001af70` |');
  });
});

describe('profiles and sets', () => {
  it('the first vhost-vdpa (5.7) filters features through an allow-list without MQ', () => {
    const s = section(page('docs/vhost-backends.md'), 'device profile vhost-vdpa-net-first') ?? '';
    expect(s).toContain('Versions: 5.7.');
    expect(s).toContain('Feature filter: an allow-list');
    expect(s).toMatch(/\| \[`VIRTIO_NET_F_MAC`\]\([^)]+\) \| 5 \|/);
    expect(s).not.toContain('VIRTIO_NET_F_MQ');
  });
  it('the v2 review profile is a blacklist of MQ (bit 22)', () => {
    const s = section(page('docs/history/vhost-mdev-v2.md'), 'device profile vhost-mdev-v2') ?? '';
    expect(s).toContain('Feature filter: a blacklist');
    expect(s).toMatch(/\| \[`VIRTIO_NET_F_MQ`\]\(#virtio_net_f_mq\) \| 22 \|/);
  });
  it('flags show their bit numbers: VFIO_DEVICE_FLAGS_PCI is (1 << 1)', () => {
    const row = page('docs/vfio.md').split('\n').find((l) => l.includes('<a id="vfio_device_flags_pci"></a>')) ?? '';
    expect(row).toMatch(/\| 2 \| 1 \| `\(1 << 1\)` \|/);
  });
  it('a set that moved between families is on both pages, each for its versions', () => {
    expect(section(page('docs/vhost.md'), 'features set vhost-backend-features')).toContain('Versions: 5.10 (gone in 6.1).');
    expect(section(page('docs/vhost-types.md'), 'features set vhost-backend-features')).toContain('Versions: 6.1 – 7.3 (new in 6.1).');
  });
});

describe('message channels', () => {
  it('vhost-vdpa\'s IOTLB write(): the writer\'s checks give their errno, the handler\'s all give EFAULT, success the record size', () => {
    const s = section(page('docs/vhost-backends.md'), 'channel vhost-iotlb-vdpa') ?? '';
    const steps = [...s.matchAll(/^\d+\. `([\w-]+)`: .*?(?:→ \*\*(\w+)\*\*|$)/gm)].map((m) => `${m[1]} ${m[2] ?? '-'}`);
    expect(steps.slice(0, 7)).toEqual(['read-form EINVAL', 'unknown-form EINVAL', 'read-asid EINVAL', 'read-message EINVAL', 'update-size-zero EINVAL', 'owner EFAULT', 'no-address-space EFAULT']);
    expect(s).toContain('`owner`: the caller must own the device → **EFAULT** (the handler\'s EPERM)');
    expect(s).toMatch(/`update-overlap`: .* → \*\*EFAULT\*\* \(the handler's EEXIST\)/);
    expect(s).toMatch(/\d+\. all passed → \*\*`record_size`\*\* bytes$/m);
  });
});

describe('transports page', () => {
  const s = page('docs/transports.md');
  const row = (first: string): string => s.split('\n').find((l) => l.startsWith(`| ${first} |`)) ?? '';
  it('GET_VRING_BASE on three transports: vhost_vring_state (8 bytes) on two, VDUSE\'s 12-byte vduse_vq_state, declared', () => {
    const r = row('`VHOST_GET_VRING_BASE`');
    expect(r).toContain('`VDUSE_GET_VQ_STATE`<br>`struct vduse_vq_state`<br>kernel 6.1');
    expect(r).toContain('`VHOST_USER_GET_VRING_BASE`<br>`struct vhost_vring_state`');
    expect(r).toMatch(/differ on every ABI: `8\{0:4,4:4\}` vs `12\{.*\}` vs `8\{0:4,4:4\}`/);
  });
  it('a vhost-user message gated by a protocol feature, and one only vhost-user has', () => {
    expect(row('`VHOST_SET_VRING_ENDIAN`')).toContain('`VHOST_USER_PROTOCOL_F_CROSS_ENDIAN` | same layout |');
    expect(row('vhost-user')).not.toBe('');
    expect(s).toContain('| vhost-user | `VHOST_USER_GET_QUEUE_NUM` | `__u64` | `VHOST_USER_PROTOCOL_F_MQ` |');
  });
  it('lists every message with its code, sender, reply and fds', () => {
    expect(row('11')).toBe('| 11 | `VHOST_USER_GET_VRING_BASE` | front-end | `struct vhost_vring_state` | always: `struct vhost_vring_state` |  |  |  | `VHOST_GET_VRING_BASE`, `VDUSE_GET_VQ_STATE` |');
    expect(s).toMatch(/^\| 5 \| `VHOST_USER_SET_MEM_TABLE` \| front-end \| `struct vhost_user_memory` \| ack \(need-reply\) \| 0–8 \(one per region, in region order\) \|/m);
  });
});

describe('version matrix', () => {
  const m = page('docs/matrix.md');
  const row = (name: string, kind = ''): string[] => {
    const start = kind ? m.indexOf(`## ${kind}`) : 0;
    const line = m.slice(start).split('\n').find((l) => l.startsWith(`| [\`${name}\`]`)) ?? '';
    return line.split(' | ').slice(1).map((c) => c.replace(/\s*\|$/, '').replace(/\*\*/g, ''));
  };
  it('has the proposals, then the kernel versions, as columns', () => {
    expect(m).toContain('| item | vhost-mdev-v1 | vhost-mdev-v2 | vhost-mdev-v3 | 5.10 | 6.1 | 6.12 | 7.2 | 7.3 |');
  });
  it('reads the 2019 history at a glance', () => {
    // v1's SET_STATE was replaced in v2; v2's GET_STATUS (0x70, _IOW) became _IOR 0x71 in v3.
    expect(row('VHOST_MDEV_SET_STATE')).toEqual(['✓', 'removed', '', '', '', '', '', '']);
    expect(row('VHOST_MDEV_GET_STATUS')).toEqual(['', 'added', 'renumbered', '', '', '', '', '']);
    expect(row('VHOST_MDEV_GET_QUEUE_NUM')).toEqual(['', 'added', 'removed', '', '', '', '', '']);
    expect(row('VHOST_MDEV_GET_CONFIG')).toEqual(['', '', 'added', '', '', '', '', '']);
  });
  it('and the kernel\'s', () => {
    expect(row('struct vhost_msg_v2', 'Structs')).toEqual(['', '', '', '✓', 'changed', '✓', '✓', '✓']); // reserved -> asid
    expect(row('struct vfio_device_info', 'Structs')).toEqual(['', '', '', '✓', '✓', 'resized', '✓', '✓']);
    expect(row('VDUSE_CREATE_DEV')).toEqual(['', '', '', '', 'added', '✓', '✓', '✓']);
    expect(row('VFIO_TYPE1_NESTING_IOMMU', 'Constants')).toEqual(['', '', '', '✓', '✓', '✓', 'removed', '']);
    expect(row('VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO', 'Features')).toEqual(['', '', '', '', '', '', 'added', '✓']);
  });
  it('shows which proposal numbers shipped under vhost-vdpa names', () => {
    expect(m).toMatch(/\| vhost-mdev-v3 \| \[`VHOST_MDEV_GET_DEVICE_ID`\]\([^)]+\) \| \[`VHOST_VDPA_GET_DEVICE_ID`\]\([^)]+\) \| 5\.10 \| `0x8004af70` \|/);
  });
});

describe('gen --at another version', () => {
  it('marks what the asked version lacks', () => {
    const at61 = render('6.1').pages;
    expect(section(at61.get('docs/vhost.md'), 'VHOST_VDPA_RESUME')).toContain('Versions: 6.12 – 7.3 (new in 6.12). Not in 6.1.');
    expect(at61.get('docs/index.md')).toContain('Generated at kernel 6.1');
  });
});
