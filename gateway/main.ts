/** Command-line entry: `npm run gateway -- [options]` (see `--help`). */
import { ConfigError, parseConfig, usage } from "./config.ts";

async function main(): Promise<void> {
  let options: ReturnType<typeof parseConfig>;
  try {
    options = parseConfig(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`gateway: ${e.message} (see --help)\n`);
      process.exit(2);
    }
    throw e;
  }
  if (!options) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  // Loaded only now, so --help and option errors answer quickly.
  const { createGateway } = await import("./gateway.ts");
  let gateway: ReturnType<typeof createGateway>;
  try {
    gateway = createGateway(options);
  } catch (e) {
    // A DataDirError is one line naming the file and the fix; anything else still names the data dir.
    const { DataDirError } = await import("./store/data-dir.ts");
    const line =
      e instanceof DataDirError
        ? e.message
        : `cannot start on the data dir ${options.dataDir}: ${(e as Error).message}`;
    process.stderr.write(`gateway: ${line}\n`);
    process.exit(1);
  }
  try {
    await gateway.listen();
  } catch (e) {
    process.stderr.write(
      `gateway: cannot listen on ${options.host}:${options.port}: ${(e as Error).message}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`listening on ${gateway.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.log.info({ signal }, "stopping");
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

void main();
