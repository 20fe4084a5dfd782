/**
 * Runs a callback once per animation frame at most. Falls back to a timer so
 * work still lands when frames are throttled (hidden panel, background tab).
 */
export type Schedule = (cb: () => void) => () => void;

export const animationFrame: Schedule = (cb) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    if (typeof cancelAnimationFrame === "function") cancelAnimationFrame(frame);
    clearTimeout(timer);
    cb();
  };
  const frame = typeof requestAnimationFrame === "function" ? requestAnimationFrame(run) : 0;
  const timer = setTimeout(run, 100);
  return () => {
    done = true;
    if (typeof cancelAnimationFrame === "function") cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

/** Runs the callback at once: for tests and for code that must not wait. */
export const immediately: Schedule = (cb) => {
  cb();
  return () => {};
};
