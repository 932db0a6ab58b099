import { AppError } from '@app/common';

// At most `concurrency` password checks at once; the next `queue` wait their turn, more are refused.
// argon2 runs on libuv's thread pool (4 threads): a flood of logins must leave it to file reads
// and everything else the process does.
export class HashGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new AppError('too_many', 'Too many sign-ins at once, try again in a moment', { code: 'LOGIN_BUSY' });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot to the next one waiting, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
