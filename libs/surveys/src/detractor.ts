// A detractor answer: CSAT 1–2, or NPS 0–6 (NPS may be left blank). It opens a recovery call,
// alerts the manager, marks the client at risk of churn and is what the results list filters on.
// One definition, as TypeScript for an answer in hand and as SQL over a survey_responses row.
export const LOW_CSAT_MAX = 2;
export const NPS_DETRACTOR_MAX = 6;

export interface DetractorAnswer {
  csat: number | null;
  nps: number | null;
}

export const isLowCsat = (csat: number | null): boolean => csat !== null && csat <= LOW_CSAT_MAX;

export const isNpsDetractor = (nps: number | null): boolean => nps !== null && nps <= NPS_DETRACTOR_MAX;

export function isDetractor(answer: DetractorAnswer): boolean {
  return isLowCsat(answer.csat) || isNpsDetractor(answer.nps);
}

// The same rule over a row with csat and nps columns (`alias.csat`, or bare columns with alias
// ''): never NULL, so it can be negated.
export function detractorSql(alias: string): string {
  const col = (name: string): string => (alias ? `${alias}.${name}` : name);
  const low = `COALESCE(${col('csat')} <= ${LOW_CSAT_MAX}, false)`;
  return `(${low} OR COALESCE(${col('nps')} <= ${NPS_DETRACTOR_MAX}, false))`;
}
