/**
 * Command line of `npm start`: its own flags, and everything else passed on to
 * the gateway (`npm start -- --port 0 --seed 7`). Pure, so it is easy to test.
 */

export const DEMO_TOKEN = "lc_demo_supervisor_token";

export const START_USAGE = `Usage: npm start -- [options] [gateway options]

Builds the extension, starts the reference gateway with simulated traffic on
127.0.0.1 and, when there is a display and Chromium, opens Chromium with the
extension loaded and its panel open on the demo.

Options:
  --skip-build         use the extension already in .output/chrome-mv3
  --headless           open no browser window; print how to load the extension
  --screenshot FILE    render the live panel to a PNG in headless Chromium, then stop everything
  --browser PATH       Chromium to use (default: $CHROMIUM_PATH, /usr/bin/chromium, …)
  --token T            token the launched browser presents (default: ${DEMO_TOKEN})
  --help               this text (gateway options: npm run gateway -- --help)

Every other option goes to the gateway, e.g. --port 0 (a free port), --seed 7, --sessions 30.`;

/**
 * @param {string[]} argv
 * @returns {{ skipBuild: boolean, headless: boolean, screenshot: string | null, browser: string | null,
 *   token: string, help: boolean, gatewayArgs: string[] }}
 */
export function parseStartArgs(argv) {
  const out = {
    skipBuild: false,
    headless: false,
    screenshot: null,
    browser: null,
    token: DEMO_TOKEN,
    help: false,
    gatewayArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name, inline] =
      arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case "--skip-build":
        out.skipBuild = true;
        break;
      case "--headless":
        out.headless = true;
        break;
      case "--screenshot":
        out.screenshot = value();
        out.headless = true;
        break;
      case "--browser":
        out.browser = value();
        break;
      case "--token":
        out.token = value();
        break;
      case "--help":
      case "-h":
        out.help = true;
        break;
      default:
        out.gatewayArgs.push(arg);
    }
  }
  return out;
}
