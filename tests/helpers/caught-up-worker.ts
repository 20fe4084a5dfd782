/**
 * A load-mode gateway with `sessions` sessions and no traffic, and the worker core in Node caught up with it
 * (live, at the gateway's last seq). `track` gets each part as soon as it runs, for the test's cleanup.
 */
import type { CreateSocket } from "../../utils/connection/socket";
import { startTestGateway, type TestGateway } from "./gateway";
import { until } from "./until";
import { type NodeWorker, startNodeWorker } from "./worker-node";

export async function startCaughtUpWorker(
  opts: { sessions: number; historyLimit: number; createSocket?: CreateSocket | undefined },
  track: { gateway(gw: TestGateway): void; worker(w: NodeWorker): void },
) {
  const gw = await startTestGateway({
    load: true,
    sessions: opts.sessions,
    rate: 0,
    tokensPerSecond: 0,
    historyLimit: opts.historyLimit,
  });
  track.gateway(gw);
  const orgId = gw.gateway.options.users.find((u) => u.token === gw.tokens.supervisor)?.org_id ?? "";
  const org = gw.gateway.orgs.get(orgId);
  if (!org) throw new Error("no org");
  const worker = await startNodeWorker(
    { gatewayUrl: gw.url, token: gw.tokens.supervisor },
    opts.createSocket ? { createSocket: opts.createSocket } : {},
  );
  track.worker(worker);
  const caughtUp = () =>
    until(
      "the worker caught up with the gateway",
      () => worker.core.dump().phase === "live" && worker.core.dump().cursor?.seq === org.state.log.lastSeq(),
      20_000,
    );
  await caughtUp();
  return { gw, orgId, org, worker, caughtUp };
}
