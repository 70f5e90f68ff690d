// examples/vhost-user-blk.ts against a back end nobody here wrote: QEMU's qemu-storage-daemon
// exporting a raw image as vhost-user-blk. The example must read the image's real bytes, write a
// sector the image file then holds, and refuse a feature the daemon does not offer without
// breaking the daemon for the next client. The daemon and its socket live in a temp folder that
// is removed, and the daemon killed, however the test ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const DAEMON = '/usr/bin/qemu-storage-daemon';
const SECTOR = 512;
const IMAGE_BYTES = 4 * 1024 * 1024;

let dir = '';
let image = '';
let socket = '';
let daemon: ChildProcess | undefined;
let daemonLog = '';
const stopDaemon = (): void => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
};

/** Image content that no zeroed or shifted read can match: a marker, then an xorshift stream. */
function imageContent(): Uint8Array {
  const bytes = new Uint8Array(IMAGE_BYTES);
  let x = 0x2545f491;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes.set(new TextEncoder().encode('ioctl-abi vhost-user-blk test image'), 0);
  return bytes;
}

function runExample(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples/vhost-user-blk.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The bytes of the example's hex dump lines ("00000010  xx xx ...  |text|"), checked for consecutive offsets. */
function dumpBytes(lines: readonly string[]): number[] {
  const out: number[] = [];
  for (const line of lines) {
    const m = /^([0-9a-f]{8})  ((?:[0-9a-f]{2} ?){1,16}) \|.*\|$/.exec(line);
    if (!m) throw new Error(`not a hex dump line: ${line}`);
    expect(parseInt(m[1] as string, 16)).toBe(out.length);
    out.push(...(m[2] as string).trim().split(' ').map((h) => parseInt(h, 16)));
  }
  return out;
}

const daemonAlive = (): boolean => daemon !== undefined && daemon.exitCode === null && daemon.signalCode === null;

describe('examples/vhost-user-blk.ts against qemu-storage-daemon', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-vublk-'));
    image = join(dir, 'disk.raw');
    socket = join(dir, 'vhost-user-blk.sock');
    writeFileSync(image, imageContent());
    process.once('exit', stopDaemon);
    daemon = spawn(DAEMON, [
      '--blockdev', `driver=file,node-name=disk,filename=${image}`,
      '--export', `type=vhost-user-blk,id=exp0,node-name=disk,addr.type=unix,addr.path=${socket},writable=on`,
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    daemon.stdout?.on('data', (d: Buffer) => (daemonLog += d.toString()));
    daemon.stderr?.on('data', (d: Buffer) => (daemonLog += d.toString()));
    for (let waited = 0; !existsSync(socket); waited += 50) {
      if (!daemonAlive() || waited > 20_000) throw new Error(`qemu-storage-daemon did not listen on ${socket}: ${daemonLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (daemon && daemonAlive()) {
      const exited = new Promise((r) => daemon?.once('exit', r));
      daemon.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      stopDaemon();
    }
    process.removeListener('exit', stopDaemon);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints the capacity of the image and sector 0 as it is in the file', () => {
    const r = runExample([socket]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [first, ...dump] = r.stdout.trimEnd().split('\n');
    expect(first).toBe(`capacity: ${statSync(image).size / SECTOR} sectors`);
    expect(dump).toHaveLength(SECTOR / 16);
    expect(dumpBytes(dump)).toEqual([...readFileSync(image).subarray(0, SECTOR)]);
  });

  it('--write-test writes the last sector, reads it back, and the image file holds the bytes', () => {
    const before = readFileSync(image);
    const last = IMAGE_BYTES / SECTOR - 1;
    const r = runExample([socket, '--write-test']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe(`write-test: sector ${last} written and read back: equal`);
    expect(dumpBytes(lines.slice(1, -1))).toEqual([...before.subarray(0, SECTOR)]);
    // the documented pattern: byte i of the scratch sector is (i * 31 + 7) mod 256
    const after = readFileSync(image);
    expect([...after.subarray(last * SECTOR)]).toEqual(Array.from({ length: SECTOR }, (_, i) => (i * 31 + 7) & 0xff));
    expect(after.subarray(0, last * SECTOR).equals(before.subarray(0, last * SECTOR))).toBe(true);
  });

  it.each([
    ['VIRTIO_BLK_F_RO', /does not offer VIRTIO_BLK_F_RO \(feature bit 5\)/],
    ['VIRTIO_F_RING_PACKED', /does not offer VIRTIO_F_RING_PACKED \(feature bit 34\)/],
    ['VHOST_USER_PROTOCOL_F_STATUS', /does not offer VHOST_USER_PROTOCOL_F_STATUS \(protocol feature bit 16\)/],
  ])('--want %s, which a writable qemu-storage-daemon 7.2 export does not offer: refused in one line, and the daemon serves the next client', (feature, message) => {
    const r = runExample([socket, '--want', feature]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(daemonAlive()).toBe(true);
    const again = runExample([socket]);
    expect(again.status).toBe(0);
    expect(dumpBytes(again.stdout.trimEnd().split('\n').slice(1))).toEqual([...readFileSync(image).subarray(0, SECTOR)]);
  });

  it('--want of a feature the daemon offers negotiates it and still reads', () => {
    const r = runExample([socket, '--want', 'VIRTIO_BLK_F_FLUSH']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`capacity: ${IMAGE_BYTES / SECTOR} sectors`);
  });

  it.each([
    [[], /^vhost-user-blk: usage: vhost-user-blk\.ts SOCKET \[--write-test\] \[--want FEATURE\]$/],
    [['--size', '1'], /^vhost-user-blk: unknown option --size/],
    [['SOCK', '--want', 'VIRTIO_BLK_F_NOPE'], /^vhost-user-blk: --want VIRTIO_BLK_F_NOPE: not a VIRTIO_BLK_F_\*, VIRTIO_F_\* or VHOST_USER_PROTOCOL_F_\* name$/],
    [['/nonexistent/vu.sock'], /^vhost-user-blk: connect \/nonexistent\/vu\.sock: ENOENT \(is a vhost-user back end listening there\?\)$/],
  ])('bad input %j: one line, exit 2', (args, message) => {
    const r = runExample(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
