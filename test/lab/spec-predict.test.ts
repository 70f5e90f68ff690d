// The spec-driven predictor on hand-made cells: it explains what the spec says and flags the rest.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import type { ProbeCell } from './matrix.ts';
import { compareWithSpec, specView } from './spec-predict.ts';

const view = specView(viewAt(openOk(join(import.meta.dirname, '../../spec')), '6.12'), 'vhost-vdpa', 'vhost-vdpa-net');
const cell = (request: string, state: string, errno: string, extra: Partial<ProbeCell> = {}): ProbeCell => ({ request, nr: '0', state, arg: 'valid', owner: true, value: '0x0', head: 0, errno, ...extra });
const verdicts = (cells: ProbeCell[]): string[] => compareWithSpec(cells, view).map((r) => r.verdict);

describe('spec predictions for vhost-vdpa', () => {
  it('status rules: SET_FEATURES after FEATURES_OK is EBUSY, and only then', () => {
    expect(verdicts([cell('VHOST_SET_FEATURES', 'ACK|DRIVER|FEATURES_OK', 'EBUSY')])).toEqual(['rule']);
    expect(verdicts([cell('VHOST_SET_FEATURES', 'ACK|DRIVER|FEATURES_OK', '0')])).toEqual(['mismatch']);
    expect(verdicts([cell('VHOST_SET_FEATURES', 'ACK|DRIVER', '0')])).toEqual(['ok']);
    expect(verdicts([cell('VHOST_SET_FEATURES', 'ACK|DRIVER', 'EBUSY')])).toEqual(['mismatch']);
  });
  it('transition rule: clearing a bit without reset is EINVAL', () => {
    expect(verdicts([cell('VHOST_VDPA_SET_STATUS', 'ACK|DRIVER', 'EINVAL', { value: '0x1' })])).toEqual(['rule']);
    expect(verdicts([cell('VHOST_VDPA_SET_STATUS', 'ACK|DRIVER', '0', { value: '0x0' })])).toEqual(['ok']);
  });
  it('owner rules follow the lifetime of the request (6.12 getters included)', () => {
    expect(verdicts([cell('VHOST_VDPA_GET_VRING_SIZE', '0', 'EPERM', { owner: false })])).toEqual(['rule']);
    expect(verdicts([cell('VHOST_SET_OWNER', '0', 'EBUSY')])).toEqual(['rule']);
  });
  it('requests outside the profile get ENOTTY or a recorded unknown-request errno', () => {
    expect(verdicts([cell('VHOST_NET_SET_BACKEND', '0', 'ENOTTY')])).toEqual(['unknown-request']);
    expect(verdicts([cell('VHOST_NET_SET_BACKEND', '0', 'EIO')])).toEqual(['mismatch']);
    expect(verdicts([cell('VHOST_RESET_OWNER', '0', 'EPERM', { owner: false })])).toEqual(['unknown-request']);
  });
  it('quirks explain only the errnos they record', () => {
    expect(verdicts([cell('VHOST_SET_VRING_NUM', 'ACK', 'ENOBUFS', { arg: 'vq_oob' })])).toEqual(['quirk']);
    expect(verdicts([cell('VHOST_SET_VRING_NUM', 'ACK', 'E2BIG', { arg: 'vq_oob' })])).toEqual(['mismatch']);
    expect(verdicts([cell('VHOST_VDPA_GET_STATUS', 'ACK', 'EFAULT', { arg: 'null', head: undefined })])).toEqual(['bad-pointer']);
  });
});
