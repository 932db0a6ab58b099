import type { ImportFailure, ImportResult } from '../../api/admin';
import { ruleText } from '../../components/formErrors';
import { csvHeaderOf } from './csvColumns';

export interface FailureRow {
  key: string;
  row: number;
  // The column as the file names it (手机), the API's field name when unknown, null for the whole row.
  column: string | null;
  field: string | null;
  message: string;
}

// One table row per failure, in file order; a row with several bad fields keeps them together.
export function failureRows(failed: ImportFailure[]): FailureRow[] {
  return failed
    .map((f, index) => ({ f, index }))
    .sort((a, b) => a.f.row - b.f.row || a.index - b.index)
    .map(({ f, index }) => ({
      key: `${f.row}-${f.field ?? '*'}-${index}`,
      row: f.row,
      column: f.field ? (csvHeaderOf(f.field) ?? f.field) : null,
      field: f.field,
      // In Chinese from the failure's rule; the API's English message is not shown.
      message: ruleText({ code: f.code ?? 'VALIDATION_FAILED', params: f.code === 'isIn' ? {} : f.params }),
    }));
}

export interface ImportSummary {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failedRows: number;
  // More failures than the response lists.
  truncated: boolean;
}

export function importSummary(result: ImportResult): ImportSummary {
  return {
    rows: result.rows,
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    failedRows: result.failedRows,
    truncated: result.failedTotal > result.failed.length,
  };
}
