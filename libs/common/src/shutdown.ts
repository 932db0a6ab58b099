import { Logger } from '@nestjs/common';

// Nest closes the app on SIGTERM/SIGINT (HTTP stops accepting, workers finish active jobs, pools
// close). This bounds that wait: a job that hangs cannot keep the process alive forever.
export function boundShutdown(timeoutMs: number, logger: Logger): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received: shutting down (at most ${timeoutMs} ms)`);
      setTimeout(() => {
        logger.error(`Shutdown took longer than ${timeoutMs} ms; exiting`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
