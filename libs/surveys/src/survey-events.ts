// A survey answer (with or without a comment), after its statement committed: what other features
// follow (the comment's themes, outbound webhooks), awaited before the client hears back. Emitted
// after the commit, so a listener's failure never loses the answer; whatever a listener missed (the
// process ended in between) it finds again in its own nightly pass (the themes; webhooks have none,
// docs/limits.md).
export class SurveyAnswered {
  static readonly event = 'survey.answered';
  constructor(
    readonly responseId: string,
    readonly customerId: string,
    // The butler the answer is about, frozen at contact time.
    readonly butlerId: string,
    readonly comment: string,
    readonly respondedAt: Date,
  ) {}
}
