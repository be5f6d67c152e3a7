/**
 * A stand-in for a TLS-only server such as Supabase's, in front of the local test server (which runs
 * without TLS): it answers the client's SSLRequest with 'S', terminates TLS with a throwaway
 * self-signed certificate (made with openssl, CN "pgwarden-test", so no client can verify it as
 * 127.0.0.1) and relays the plain protocol to the real server. With `tls: false` it answers 'N' and
 * relays in plain text, as a server without TLS does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';

const SSL_REQUEST_CODE = 80877103;

export interface TlsProxy {
  port: number;
  /** The certificate, as a file a client can name with sslrootcert=. */
  certificatePath: string;
  /** Connections that completed a TLS handshake. */
  readonly tlsSessions: number;
  close(): Promise<void>;
}

export async function startTlsProxy(upstream: { host: string; port: number }, options: { tls: boolean }): Promise<TlsProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'pgwarden-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certificatePath = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyPath, '-out', certificatePath, '-days', '2', '-subj', '/CN=pgwarden-test'], { stdio: 'pipe' });
  const secureContext = createSecureContext({ key: readFileSync(keyPath), cert: readFileSync(certificatePath) });
  let tlsSessions = 0;
  const sockets = new Set<Socket>();

  const relay = (client: Socket, first?: Buffer) => {
    const server = connect(upstream.port, upstream.host);
    sockets.add(server);
    if (first) server.write(first);
    client.pipe(server).pipe(client);
    const end = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
  };

  const proxy: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (chunk) => {
      const isSslRequest = chunk.length === 8 && chunk.readInt32BE(0) === 8 && chunk.readInt32BE(4) === SSL_REQUEST_CODE;
      if (!isSslRequest) return relay(socket, chunk);
      if (!options.tls) {
        socket.write('N');
        return relay(socket);
      }
      socket.write('S');
      const secure = new TLSSocket(socket, { isServer: true, secureContext });
      secure.on('secure', () => (tlsSessions += 1));
      secure.on('error', () => socket.destroy());
      relay(secure);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    certificatePath,
    get tlsSessions() {
      return tlsSessions;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
