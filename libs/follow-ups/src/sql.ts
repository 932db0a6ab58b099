// Statement parts of the follow-ups library that other libraries compose into a statement of
// their own, where one statement across tables is what keeps a hot path fast (docs/architecture.md,
// "Statement parts"). Only this library writes follow_ups; these functions are how it lends that
// write to a statement another library runs. No imports: any library may use them without a cycle
// (import them as '@app/follow-ups/sql').

// Recovery follow-ups for low scores, one per survey response (a second is ignored). `source` is a
// relation with the columns customer_id, owner_id (the manager who calls back), title, due_at,
// note, survey_response_id and created_at (the app's clock, e.g. the answer's time).
export function insertRecoveryFollowUpsSql(source: string): string {
  return `INSERT INTO follow_ups (customer_id, butler_id, kind, title, due_at, note, survey_response_id, created_at)
    SELECT s.customer_id, s.owner_id, 'recovery'::follow_up_kind, left(s.title, 100), s.due_at, s.note,
           s.survey_response_id, s.created_at
      FROM ${source} s
    ON CONFLICT (survey_response_id) WHERE survey_response_id IS NOT NULL DO NOTHING`;
}
