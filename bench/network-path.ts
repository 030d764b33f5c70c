/**
 * A real network path on loopback, for the latency bench: TLS with a certificate made here, behind a proxy that delays
 * every byte by half a round trip each way and a new connection by one more round trip (the TCP handshake), so a client
 * pays for handshakes what it would pay to a distant API. Counts the TCP connections and TLS handshakes it carries.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

/** A self-signed certificate for localhost and 127.0.0.1, made with the system's `openssl`, valid for a day. */
export function makeCertificate(): { readonly key: string; readonly cert: string } {
  const folder = mkdtempSync(join(tmpdir(), 'rx-bench-tls-'));
  try {
    const key = join(folder, 'key.pem');
    const cert = join(folder, 'cert.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
    ], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** What a path carried so far. */
export interface PathCounts {
  /** TCP connections clients opened through the proxy. */
  tcp: number;
  /** TLS handshakes made (full ones; a resumed session counts in `resumed` instead). */
  tls: number;
  /** TLS sessions resumed (fewer round trips than a full handshake). */
  resumed: number;
}

/** One delayed TLS path to an HTTP server on loopback. */
export interface NetworkPath {
  /** `https://localhost:PORT/v1`, the base URL to give clients. */
  readonly baseURL: string;
  readonly counts: PathCounts;
  close(): Promise<void>;
}

/**
 * Starts a path to `upstreamPort`: a TLS terminator in front of it, and a delay proxy in front of that. Each path has
 * its own port, so a client's connection pool (keyed by origin) starts empty on it.
 */
export async function startNetworkPath(upstreamPort: number, tls: { readonly key: string; readonly cert: string }, halfRoundTripMs: number): Promise<NetworkPath> {
  const counts: PathCounts = { tcp: 0, tls: 0, resumed: 0 };
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    // No Nagle on the path's own hops: it would hold a request's second write for a loopback delayed ACK (40 ms), a
    // cost of this bench's plumbing, not of the network it stands for (the clients disable it on their side too).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const terminator = createTlsServer({ ...tls, minVersion: 'TLSv1.3' }, (secure: TLSSocket) => {
    if (secure.isSessionReused()) counts.resumed++;
    else counts.tls++;
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const socket of [secure, upstream]) track(socket);
    secure.pipe(upstream).pipe(secure);
    secure.on('close', () => upstream.destroy());
    upstream.on('close', () => secure.destroy());
  });
  const proxy = createTcpServer((client) => {
    counts.tcp++;
    const upstream = connect((terminator.address() as AddressInfo).port, '127.0.0.1');
    for (const socket of [client, upstream]) track(socket);
    // The client's first bytes arrive after the TCP handshake's round trip, as they would over the network.
    delayed(client, upstream, halfRoundTripMs, 2 * halfRoundTripMs);
    delayed(upstream, client, halfRoundTripMs, 0);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await listen(terminator);
  await listen(proxy);
  return {
    baseURL: `https://localhost:${(proxy.address() as AddressInfo).port}/v1`,
    counts,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([close(proxy), close(terminator)]);
    },
  };
}

/** Copies `from` to `to`, each chunk `delayMs` later (in order), the first one `firstExtraMs` later still. */
function delayed(from: Socket, to: Socket, delayMs: number, firstExtraMs: number): void {
  // When the last chunk goes out: a later chunk never overtakes it.
  let lastAt = 0;
  let first = true;
  from.on('data', (chunk: Buffer) => {
    const at = Math.max(Date.now() + delayMs + (first ? firstExtraMs : 0), lastAt);
    first = false;
    lastAt = at;
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, at - Date.now());
  });
  from.on('end', () => setTimeout(() => to.end(), Math.max(0, lastAt - Date.now()) + delayMs));
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
