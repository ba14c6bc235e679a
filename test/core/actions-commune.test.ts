// The commune option action: a new unit, or one of its predecessors, stored as a short string.
import { describe, expect, it } from 'vitest';
import { decodeAction, encodeAction, type Action } from '../../src/core/dialogue/actions.ts';
import { realSnapshot } from '../support/test-content.ts';

describe('commune action', () => {
  it('round-trips a unit and a predecessor of a unit', () => {
    const unit: Action = { type: 'commune', unitId: 'phuong-cai-khe' };
    const former: Action = { type: 'commune', unitId: 'xa-truong-khanh', index: 1 };
    expect(encodeAction(unit)).toBe('cm:phuong-cai-khe');
    expect(encodeAction(former)).toBe('cm:xa-truong-khanh:1');
    expect(decodeAction(encodeAction(unit))).toEqual(unit);
    expect(decodeAction(encodeAction(former))).toEqual(former);
    expect(decodeAction('cm:xa-truong-khanh:0')).toEqual({ type: 'commune', unitId: 'xa-truong-khanh', index: 0 });
  });

  it('rejects tampered strings', () => {
    for (const s of ['cm', 'cm:', 'cm:Xã Phú Hữu', 'cm:xa-phu-huu:-1', 'cm:xa-phu-huu:1.5', 'cm:xa-phu-huu:abc', 'cm:xa--phu']) expect(decodeAction(s)).toBeNull();
  });

  it('every unit of the real data fits a stored action (and a 64-byte button payload)', async () => {
    const units = (await realSnapshot()).communes!.units;
    for (const u of units) {
      const s = encodeAction({ type: 'commune', unitId: u.id, index: Math.max(0, u.formedFrom.length - 1) });
      expect(decodeAction(s)).toEqual({ type: 'commune', unitId: u.id, index: Math.max(0, u.formedFrom.length - 1) });
      expect(Buffer.byteLength(s)).toBeLessThanOrEqual(50);
    }
  });
});
