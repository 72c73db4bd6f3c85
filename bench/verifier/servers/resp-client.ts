// A minimal Redis client (RESP2 over node:net) for the session-lookup baseline: commands are
// pipelined on one connection and answered in order, which is what ioredis does by default.
// It parses only the replies the benchmark needs (simple string, error, integer, bulk string),
// so the baseline costs what its transport costs and no dependency is added.

import { connect, type Socket } from "node:net";

type Reply = string | number | null;

interface Pending {
  resolve(value: Reply): void;
  reject(error: Error): void;
}

export interface RESPClient {
  /** Sends one command (e.g. "GET", key); resolves with its reply, rejects on a Redis error. */
  command(...args: readonly string[]): Promise<Reply>;
  close(): void;
}

function encode(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const arg of args) out += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
  return out;
}

/** Connects to Redis on host:port; resolves once the socket is open. */
export function connectRESP(port: number, host = "127.0.0.1"): Promise<RESPClient> {
  const queue: Pending[] = [];
  let buffer: Buffer = Buffer.alloc(0);

  /** Parses one reply at `buffer`'s start; undefined when it has not fully arrived yet. */
  function parseOne(): { value: Reply | Error; length: number } | undefined {
    const lineEnd = buffer.indexOf("\r\n");
    if (lineEnd < 0) return undefined;
    const type = String.fromCharCode(buffer[0]!);
    const line = buffer.toString("utf8", 1, lineEnd);
    if (type === "+") return { value: line, length: lineEnd + 2 };
    if (type === "-") return { value: new Error(line), length: lineEnd + 2 };
    if (type === ":") return { value: Number(line), length: lineEnd + 2 };
    if (type === "$") {
      const size = Number(line);
      if (size < 0) return { value: null, length: lineEnd + 2 };
      const end = lineEnd + 2 + size;
      if (buffer.length < end + 2) return undefined;
      return { value: buffer.toString("utf8", lineEnd + 2, end), length: end + 2 };
    }
    throw new Error(`unsupported RESP reply type ${JSON.stringify(type)}`);
  }

  function onData(chunk: Buffer, socket: Socket): void {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    // Bounded by the bytes received: every iteration consumes at least one reply.
    while (buffer.length > 0) {
      let parsed: ReturnType<typeof parseOne>;
      try {
        parsed = parseOne();
      } catch (error) {
        socket.destroy(error as Error);
        return;
      }
      if (parsed === undefined) return;
      buffer = buffer.subarray(parsed.length);
      const pending = queue.shift();
      if (pending === undefined) continue;
      if (parsed.value instanceof Error) pending.reject(parsed.value);
      else pending.resolve(parsed.value);
    }
  }

  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, noDelay: true });
    socket.once("error", reject);
    socket.on("data", (chunk: Buffer) => onData(chunk, socket));
    socket.on("close", () => {
      for (const pending of queue.splice(0)) pending.reject(new Error("redis connection closed"));
    });
    socket.once("connect", () => {
      socket.off("error", reject);
      socket.on("error", () => {}); // reported through "close" to every pending command
      resolve({
        command(...args) {
          return new Promise<Reply>((resolveReply, rejectReply) => {
            queue.push({ resolve: resolveReply, reject: rejectReply });
            socket.write(encode(args));
          });
        },
        close() {
          socket.end();
        },
      });
    });
  });
}
