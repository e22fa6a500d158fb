import { createServer } from "node:net";

/** Asks the kernel for a free TCP port on loopback (it is released before the caller binds it). */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === "object") resolvePort(address.port);
        else reject(new Error("no port was assigned"));
      });
    });
  });
