import type { CaseStatus } from '../../api/cases';
import { canDrop, moveButtons } from './transitions';

const at = (status: CaseStatus, allowedTransitions: CaseStatus[]) => ({ status, allowedTransitions });

describe('case transitions on the board', () => {
  it('offers exactly the moves the API allows, forward first', () => {
    expect(moveButtons(at('open', ['in_progress']))).toEqual([
      { to: 'in_progress', labelKey: 'moveTo.in_progress', primary: true },
    ]);
    expect(moveButtons(at('in_progress', ['resolved']))).toEqual([
      { to: 'resolved', labelKey: 'moveTo.resolved', primary: true },
    ]);
    // resolved can close (forward) or reopen (back to in_progress, not primary)
    expect(moveButtons(at('resolved', ['in_progress', 'closed']))).toEqual([
      { to: 'closed', labelKey: 'moveTo.closed', primary: true },
      { to: 'in_progress', labelKey: 'reopen', primary: false },
    ]);
    expect(moveButtons(at('closed', []))).toEqual([]);
  });

  it('accepts a drop only on a legal column', () => {
    const open = at('open', ['in_progress']);
    expect(canDrop(open, 'in_progress')).toBe(true);
    expect(canDrop(open, 'resolved')).toBe(false);
    expect(canDrop(open, 'closed')).toBe(false);
    expect(canDrop(open, 'open')).toBe(false);
    const resolved = at('resolved', ['closed', 'in_progress']);
    expect(canDrop(resolved, 'in_progress')).toBe(true);
    expect(canDrop(resolved, 'open')).toBe(false);
    expect(canDrop(null, 'open')).toBe(false);
  });
});
