import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP pass-through in front of a test server that can hold every request until opened: a
 * sync through it stays mid-run (holding whatever it holds) for as long as a test needs. Forwards
 * the Host header unchanged, so pagination links the server builds from it lead back here.
 */
export async function startGate(target: string) {
  let closed = false;
  let requests = 0;
  const held: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  const server = createServer((req, res) => {
    requests++;
    const forward = () => {
      const up = request(
        new URL(req.url ?? '/', target),
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (!closed) return forward();
    held.push(forward);
    onHeld?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests that reached the gate (held or not). */
    get requests() {
      return requests;
    },
    /** Holds requests from now on; resolves when the first one arrives. */
    hold(): Promise<void> {
      closed = true;
      return new Promise<void>((resolve) => {
        onHeld = () => {
          onHeld = undefined;
          resolve();
        };
      });
    },
    /** Lets every held request through, and the ones after. */
    open(): void {
      closed = false;
      onHeld = undefined;
      for (const go of held.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
