import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

// The chaos run's SMTP sink, its own process (so counting mail never shares the event loop of
// what sends it). Unlike bench/smtp-sink-server.ts it keeps a record of every accepted message
// (Message-ID, envelope recipients, acceptance times), can refuse a share of attempts with a
// temporary 451, and can pace acceptance like a remote server with a throughput limit.
//
// A message counts as delivered at the moment the sink decides to answer 250 to its DATA: a
// refused attempt (451 at RCPT TO or after DATA) is not a delivery. Pacing delays MAIL FROM
// (before anything is accepted), so it never widens the gap between "accepted" and the sender
// learning of it.
//
// IPC only:
//   parent → { cmd: 'config', refuseShare?, ratePerSecond? } → { type: 'config' }
//   parent → { cmd: 'stats' }                                 → { type: 'stats', stats }
//   parent → { cmd: 'deliveries' }                            → { type: 'deliveries', deliveries }
//   child  → { type: 'ready', port } once listening. It exits when its parent goes away.

export interface SinkStats {
  accepted: number;
  refusedRcpt: number;
  refusedData: number;
  // Attempts while refusals were switched on (accepted or refused), for the refused share.
  attemptsWhileRefusing: number;
  withoutId: number;
  lastAcceptedAt: number | null;
}

// One Message-ID: its recipients and every time (epoch ms) the sink accepted it.
export interface Delivery {
  id: string;
  to: string[];
  at: number[];
}

export type SinkRequest =
  { cmd: 'config'; refuseShare?: number; ratePerSecond?: number } | { cmd: 'stats' } | { cmd: 'deliveries' };
export type SinkReply =
  | { type: 'config' }
  | { type: 'stats'; stats: SinkStats }
  | { type: 'deliveries'; deliveries: Delivery[] }
  | { type: 'ready'; port: number };

const MESSAGE_ID = /^message-id:[ \t]*<([^>\r\n]+)>/im;

let refuseShare = 0;
let ratePerSecond = 0;
// Pacing: the next free acceptance slot (epoch ms).
let nextSlot = 0;
const deliveries = new Map<string, Delivery>();
const stats: SinkStats = {
  accepted: 0,
  refusedRcpt: 0,
  refusedData: 0,
  attemptsWhileRefusing: 0,
  withoutId: 0,
  lastAcceptedAt: null,
};

function temporary(message: string): Error {
  return Object.assign(new Error(message), { responseCode: 451 });
}

// Half the refusals at RCPT TO, half after DATA (the whole message sent, then refused).
const refuseNow = (): boolean => refuseShare > 0 && Math.random() < refuseShare / 2;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onMailFrom: (_address, _session, callback) => {
    if (ratePerSecond <= 0) return callback();
    const now = Date.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + 1000 / ratePerSecond;
    setTimeout(() => callback(), slot - now);
  },
  onRcptTo: (_address, _session, callback) => {
    if (refuseShare > 0) stats.attemptsWhileRefusing++;
    if (refuseNow()) {
      stats.refusedRcpt++;
      return callback(temporary('4.7.1 Try again later (chaos: RCPT refused)'));
    }
    callback();
  },
  onData: (stream, session, callback) => {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      // The headers come first; 8 KiB of them is plenty to find the Message-ID.
      if (head.length < 8_192) head += chunk.toString('latin1', 0, Math.min(chunk.length, 8_192));
    });
    stream.on('end', () => {
      if (refuseNow()) {
        stats.refusedData++;
        return callback(temporary('4.3.0 Try again later (chaos: DATA refused)'));
      }
      const now = Date.now();
      const headers = head.split(/\r?\n\r?\n/, 1)[0];
      const id = MESSAGE_ID.exec(headers)?.[1];
      stats.accepted++;
      stats.lastAcceptedAt = now;
      if (id === undefined) {
        stats.withoutId++;
      } else {
        const seen = deliveries.get(id);
        if (seen) seen.at.push(now);
        else deliveries.set(id, { id, to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), at: [now] });
      }
      callback();
    });
  },
});

server.on('error', (error) => {
  // A sender killed mid-conversation resets its connection: expected here.
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || (error as NodeJS.ErrnoException).code === 'EPIPE')
    return;
  console.error(`chaos sink: ${error.message}`);
});

function reply(message: SinkReply): void {
  process.send?.(message);
}

process.on('message', (request: SinkRequest) => {
  switch (request.cmd) {
    case 'config':
      if (request.refuseShare !== undefined) refuseShare = request.refuseShare;
      if (request.ratePerSecond !== undefined) ratePerSecond = request.ratePerSecond;
      reply({ type: 'config' });
      break;
    case 'stats':
      reply({ type: 'stats', stats: { ...stats } });
      break;
    case 'deliveries':
      reply({ type: 'deliveries', deliveries: [...deliveries.values()] });
      break;
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  reply({ type: 'ready', port: (server.server.address() as AddressInfo).port });
});
