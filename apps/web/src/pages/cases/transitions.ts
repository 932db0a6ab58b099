import { CASE_STATUSES, type Case, type CaseStatus } from '../../api/cases';

export interface MoveButton {
  to: CaseStatus;
  // i18n key in the cases namespace.
  labelKey: string;
  // A step forward (open → in_progress → resolved → closed) is the primary action; reopening is not.
  primary: boolean;
}

type Movable = Pick<Case, 'status' | 'allowedTransitions'>;

const rank = (s: CaseStatus) => CASE_STATUSES.indexOf(s);

// The buttons a case shows: exactly the moves the API says are legal, forward ones first.
export function moveButtons(c: Movable): MoveButton[] {
  return c.allowedTransitions
    .filter((to) => to !== c.status)
    .map((to) => {
      const forward = rank(to) > rank(c.status);
      return { to, labelKey: forward ? `moveTo.${to}` : 'reopen', primary: forward };
    })
    .sort((a, b) => Number(b.primary) - Number(a.primary));
}

// Whether a card dragged onto the column of `target` is a legal move.
export function canDrop(c: Movable | null | undefined, target: CaseStatus): boolean {
  return !!c && c.status !== target && c.allowedTransitions.includes(target);
}
