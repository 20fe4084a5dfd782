import { startBackground } from "@/utils/worker/background-main";

// All wiring lives in utils/worker (see docs/worker.md); nothing runs at module top level.
export default defineBackground(() => {
  startBackground();
});
