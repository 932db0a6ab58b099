import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

// An SMTP sink for bench/fanout.bench.ts, run as its own process (so counting mail does not
// share the event loop of what sends it): accepts every message on 127.0.0.1 (port 0, the one it
// got is reported), counts messages and bytes, discards the bodies, and notices a Message-ID seen
// twice. Talks to its parent over the IPC channel only:
//   parent → { cmd: 'stats' }  → { type: 'stats', stats }
//   parent → { cmd: 'reset' }  → { type: 'reset' }   (a new phase: counters and ids start over)
//   child  → { type: 'ready', port } once listening.
// It exits when its parent goes away (the IPC channel closes).

export interface SinkStats {
  messages: number;
  bytes: number;
  duplicates: number;
  // Messages whose headers held no Message-ID (the duplicate check cannot see them).
  withoutId: number;
  connections: number;
  // Milliseconds since the phase began until its first and its last message (null before any).
  firstAtMs: number | null;
  lastAtMs: number | null;
}

export type SinkRequest = { cmd: 'stats' } | { cmd: 'reset' };
export type SinkReply = { type: 'stats'; stats: SinkStats } | { type: 'reset' } | { type: 'ready'; port: number };

const MESSAGE_ID = /^message-id:[ \t]*<([^>\r\n]+)>/im;

let phaseStarted = performance.now();
let seen = new Set<string>();
let stats: SinkStats = fresh();

function fresh(): SinkStats {
  return { messages: 0, bytes: 0, duplicates: 0, withoutId: 0, connections: 0, firstAtMs: null, lastAtMs: null };
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  // Every connection and recipient is welcome: no per-connection limits, no checks.
  onConnect: (_session, callback) => {
    stats.connections++;
    callback();
  },
  onData: (stream, _session, callback) => {
    let head = '';
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      // The headers come first; 8 KiB of them is plenty to find the Message-ID.
      if (head.length < 8_192) head += chunk.toString('latin1', 0, Math.min(chunk.length, 8_192));
    });
    stream.on('end', () => {
      const now = performance.now() - phaseStarted;
      stats.messages++;
      stats.bytes += bytes;
      stats.firstAtMs ??= now;
      stats.lastAtMs = now;
      const headers = head.split(/\r?\n\r?\n/, 1)[0];
      const id = MESSAGE_ID.exec(headers)?.[1];
      if (id === undefined) stats.withoutId++;
      else if (seen.has(id)) stats.duplicates++;
      else seen.add(id);
      callback();
    });
  },
});

server.on('error', (error) => {
  // A broken client connection is not the sink's problem; anything else is reported and ends it.
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
  console.error(`smtp sink: ${error.message}`);
});

function reply(message: SinkReply): void {
  process.send?.(message);
}

process.on('message', (request: SinkRequest) => {
  switch (request.cmd) {
    case 'stats':
      reply({ type: 'stats', stats: { ...stats } });
      break;
    case 'reset':
      phaseStarted = performance.now();
      seen = new Set();
      stats = fresh();
      reply({ type: 'reset' });
      break;
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  reply({ type: 'ready', port: (server.server.address() as AddressInfo).port });
});
