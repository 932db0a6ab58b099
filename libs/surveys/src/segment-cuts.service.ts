import { Injectable } from '@nestjs/common';

import { Clock } from '@app/common';
import { rfmHighPosition } from '@app/insights/rfm';

import { RfmCuts } from './satisfaction-stats';
import { SurveysRepository } from './surveys.repository';

// How long the client base's RFM cut points are reused: a segment frozen with an answer is the
// one the base gave at most this long before (the base moves slowly; reading it per answer would
// cost three ordered index scans of the client book).
const TTL_MS = 10 * 60_000;

// The client base's RFM cut points, read at most every TTL_MS, for the segment a satisfaction fact
// is counted under (docs/segments.md).
@Injectable()
export class SegmentCuts {
  private cached: { cuts: RfmCuts; at: number } | null = null;
  private reading: Promise<RfmCuts> | null = null;

  constructor(
    private readonly repository: SurveysRepository,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<RfmCuts> {
    const now = this.clock.now().getTime();
    if (this.cached && Math.abs(now - this.cached.at) < TTL_MS) return this.cached.cuts;
    this.reading ??= this.repository
      .rfmCuts(rfmHighPosition)
      .then((cuts) => {
        this.cached = { cuts, at: now };
        return cuts;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  // Read afresh next time (tests that change the client book between answers).
  forget(): void {
    this.cached = null;
  }
}
