// Browser test of the web app against a real development node, in headless Chromium driven by
// playwright-core. scripts/check-ui.sh starts the node, the prover, a proven demo job and a
// grid, builds and serves the app, then runs this:
//
//   node tests/browser.mjs --app http://127.0.0.1:PORT/ --node ws://127.0.0.1:PORT \
//     --job JOB --grid GRID [--artifacts DIR] [--chromium /usr/bin/chromium]
//
// It drives the UI only (no RPC of its own): propose a parameter change (DisputeBond 50 → 40
// CLD), place the decision deposit, vote with conviction from two accounts, watch the tally
// and the phases until approved and the new value shown, remove a vote and unlock it once its
// conviction lock has expired; challenge the demo job and add evidence; load the explorer
// pages. It selects by accessible names (roles and labels) and saves a screenshot of every
// page in the artifacts folder. Every wait is bounded.

import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    app: { type: "string" },
    node: { type: "string" },
    job: { type: "string" },
    grid: { type: "string" },
    artifacts: { type: "string", default: "test-artifacts" },
    chromium: { type: "string", default: process.env.CHROMIUM ?? "/usr/bin/chromium" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help || !args.app || !args.node || !args.job || !args.grid) {
  console.log("usage: node tests/browser.mjs --app URL --node WS_URL --job ID --grid ID [--artifacts DIR] [--chromium PATH]");
  process.exit(args.help ? 0 : 2);
}

mkdirSync(args.artifacts, { recursive: true });
const started = Date.now();
const log = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}`);

const browser = await chromium.launch({
  executablePath: args.chromium,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
page.setDefaultTimeout(30_000);
const consoleErrors = [];
page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
page.on("pageerror", (e) => consoleErrors.push(String(e)));

let shots = 0;
async function shot(name) {
  const file = `${args.artifacts}/${String(++shots).padStart(2, "0")}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${file}`);
}

/** Waits until `locator`'s text matches `pattern` (bounded), returning the text. */
async function waitText(locator, pattern, timeout = 30_000, what = String(pattern)) {
  const deadline = Date.now() + timeout;
  let text = "";
  while (Date.now() < deadline) {
    text = (await locator.textContent({ timeout: 5_000 }).catch(() => "")) ?? "";
    if (pattern.test(text)) return text;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}; last text: "${text}"`);
}

/**
 * Clicks transaction button `name` and returns its next result in the transaction log (role
 * status "<name>: result"), once that result is no longer in progress.
 */
async function clickAndAwaitResult(name, timeout) {
  const status = page.getByRole("status", { name: `${name}: result`, exact: true });
  const read = async () => ((await status.count()) ? await status.textContent() : "");
  const before = await read();
  await page.getByRole("button", { name, exact: true }).click();
  const deadline = Date.now() + timeout;
  let text = before;
  while (text === before || /building|signature|submitting|waiting/.test(text)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s waiting for ${name} to finish; last status: "${text}"`);
    await page.waitForTimeout(250);
    text = await read();
  }
  return text;
}

/** Clicks a transaction button and waits for its result, which must be success. */
async function transact(name, timeout = 60_000) {
  const text = await clickAndAwaitResult(name, timeout);
  if (!/done in block/.test(text)) throw new Error(`${name}: ${text}`);
  log(`${name}: ${text}`);
  return text;
}

/** Clicks a transaction button that must fail, and checks the error it reports. */
async function transactFails(name, pattern, timeout = 60_000) {
  const text = await clickAndAwaitResult(name, timeout);
  if (!pattern.test(text)) throw new Error(`${name} should have failed with ${pattern}: ${text}`);
  log(`${name} refused as it should be: ${text}`);
}

async function useAccount(name) {
  await page.getByLabel("Account", { exact: true }).selectOption({ label: `${name} (dev account)` });
}

/** Opens a page from the navigation bar. */
async function nav(name) {
  await page.getByRole("navigation", { name: "pages" }).getByRole("link", { name, exact: true }).click();
}

async function go(hash) {
  await page.evaluate((h) => (location.hash = h), hash);
}

async function main() {
  // Issue 26 item 15: a link's `?node=` is neither used nor remembered until the user accepts it.
  const dead = `ws://127.0.0.1:${deadPort}`;
  await page.goto(`${args.app}?node=${encodeURIComponent(dead)}#/`);
  const ask = page.getByRole("alertdialog", { name: "switch node" });
  await waitText(ask, new RegExp(`use the node ${dead}`), 10_000, "the question before switching nodes");
  if ((await page.evaluate(() => localStorage.getItem("cloudana.node"))) !== null) throw new Error("a link's node was remembered without asking");
  if ((await page.getByRole("status", { name: "connection" }).innerText()).includes(dead)) throw new Error("a link's node was used without asking");
  await ask.getByRole("button", { name: "Switch to this node" }).click();
  log("a link's node is used only once accepted");
  // A node that is not there (a port just freed): a readable error, and nothing else breaks.
  await waitText(page.getByRole("status", { name: "connection" }), /cannot connect|no answer/i, 30_000, "the connection error");
  log("an unreachable node is reported");

  // The real node, remembered from here on.
  await page.goto(`${args.app}?node=${encodeURIComponent(args.node)}#/`);
  await page.getByRole("alertdialog", { name: "switch node" }).getByRole("button", { name: "Switch to this node" }).click();
  await waitText(page.getByRole("status", { name: "connection" }), /Development\) · block #\d+/, 30_000, "the connection");
  await page.getByLabel("Node URL", { exact: true }).fill(args.node);
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await waitText(page.getByRole("status", { name: "connection" }), /block #[1-9]/, 30_000, "blocks");
  log("connected");
  await useAccount("Alice");
  await page.getByLabel("development account", { exact: true }).waitFor();

  // 1. Propose DisputeBond 50 → 40 CLD.
  await nav("Propose");
  await page.getByLabel("Parameter", { exact: true }).selectOption("DisputeBond");
  await waitText(page.getByLabel("current value", { exact: true }), /DisputeBond: 50 CLD/, 30_000, "the current DisputeBond");
  await page.getByLabel("New value (CLD)", { exact: true }).fill("forty");
  await waitText(page.getByRole("alert").first(), /not an amount of CLD/, 10_000, "the form's error");
  await page.getByLabel("New value (CLD)", { exact: true }).fill("40");
  await waitText(page.getByLabel("call preview", { exact: true }), /Set Economics parameter DisputeBond to 40 CLD/, 10_000, "the call preview");
  await shot("propose-parameter");
  await page.getByRole("button", { name: "Submit proposal" }).click();
  const submitted = await waitText(page.getByRole("status", { name: "Submit proposal: result" }), /referendum #\d+ submitted|error|failed|refused|cannot/i, 60_000, "the proposal");
  const index = /referendum #(\d+) submitted/.exec(submitted)?.[1];
  if (!index) throw new Error(`the proposal failed: ${submitted}`);
  log(`referendum #${index} submitted`);

  // 2. The list shows it within a few seconds: track, phase, decoded call.
  await nav("Referenda");
  const row = page.getByRole("row", { name: `referendum ${index}`, exact: true });
  await waitText(row, /economic_params.*DisputeBond to 40 CLD.*preparing/, 10_000, "the referendum in the list");
  await shot("referenda-list");

  // 3. Its page: place the decision deposit.
  await row.getByRole("link").first().click();
  await waitText(page.getByLabel("proposal summary", { exact: true }), /Set Economics parameter DisputeBond to 40 CLD/, 10_000, "the decoded call");
  await transact("Place decision deposit");

  // 4. Dave votes aye 1×, Eve aye 2×: the tally follows. First Dave tries to vote more than
  // he has: the chain refuses it with its named error, and the tally stays empty.
  await useAccount("Dave");
  await page.getByLabel("Vote", { exact: true }).selectOption("aye");
  await page.getByLabel("Amount (CLD)", { exact: true }).fill("5000000");
  await transactFails("Vote", /ConvictionVoting\.InsufficientFunds/);
  await waitText(page.getByLabel("ayes", { exact: true }), /^0 CLD/, 10_000, "an empty tally");
  await page.getByLabel("Amount (CLD)", { exact: true }).fill("900000");
  await page.getByLabel("Conviction", { exact: true }).selectOption("1");
  await transact("Vote");
  await waitText(page.getByLabel("ayes", { exact: true }), /900,000 CLD/, 20_000, "Dave's ayes in the tally");
  await useAccount("Eve");
  await page.getByLabel("Vote", { exact: true }).selectOption("aye");
  await page.getByLabel("Amount (CLD)", { exact: true }).fill("900000");
  await page.getByLabel("Conviction", { exact: true }).selectOption("2");
  const lockHint = await page.getByText(/VoteLockingPeriod = \d+ blocks/).textContent();
  log(`conviction 2×: ${lockHint}`);
  await transact("Vote");
  // 900 000 × 1 + 900 000 × 2 conviction-weighted ayes.
  await waitText(page.getByLabel("ayes", { exact: true }), /2,700,000 CLD/, 20_000, "both votes in the tally");
  await waitText(page.getByLabel("your vote", { exact: true }), /Eve voted aye with 2× conviction/, 10_000, "Eve's vote");

  // 5. The phases: deciding, confirming, approved.
  await waitText(page.getByLabel("phase", { exact: true }), /deciding|confirming/, 60_000, "the decision to begin");
  await shot("referendum-deciding");
  await waitText(page.getByLabel("phase", { exact: true }), /confirming|approved/, 120_000, "confirmation");
  log(`phase: ${await page.getByLabel("phase", { exact: true }).textContent()}`);
  await shot("referendum-confirming");
  await waitText(page.getByLabel("phase", { exact: true }), /approved/, 120_000, "approval");
  await shot("referendum-approved");
  log("approved");

  // 6. Enacted: the parameter form shows the new value.
  await nav("Propose");
  await page.getByLabel("Parameter", { exact: true }).selectOption("DisputeBond");
  await waitText(page.getByLabel("current value", { exact: true }), /DisputeBond: 40 CLD/, 90_000, "DisputeBond = 40 CLD enacted");
  log("DisputeBond is 40 CLD");

  // 7. Dave removes his vote and, once his 1× lock has expired, unlocks.
  await useAccount("Dave");
  await go(`#/referenda/${index}`);
  await waitText(page.getByLabel("your vote", { exact: true }), /Dave voted aye with 1× conviction/, 20_000, "Dave's vote");
  await transact("Remove vote");
  await waitText(page.getByLabel("your vote", { exact: true }), /no vote/, 20_000, "the vote removed");
  await nav("Account");
  const track = page.getByRole("row", { name: "track economic_params", exact: true });
  await waitText(track, /until block #\d+/, 20_000, "Dave's prior lock");
  await shot("account-locked");
  await waitText(track, /expired/, 180_000, "Dave's conviction lock to expire");
  await transact("Unlock economic_params");
  await waitText(page.getByLabel("frozen balance", { exact: true }), /^0 CLD/, 20_000, "Dave's frozen balance back to 0");
  await shot("account-unlocked");
  log("unlocked");

  // Ferdie delegates his votes on the root track to Dave, then undelegates.
  await useAccount("Ferdie");
  await page.getByLabel("Delegation track", { exact: true }).selectOption("0");
  await page.getByLabel("Delegate to (SS58 address)", { exact: true }).fill("not an address");
  await waitText(page.getByRole("form", { name: "delegate" }).getByRole("alert"), /not an SS58 address/, 10_000, "the address error");
  await page.getByLabel("Delegate to (SS58 address)", { exact: true }).fill(DAVE);
  await page.getByLabel("Delegated amount (CLD)", { exact: true }).fill("1000");
  await page.getByLabel("Delegation conviction", { exact: true }).selectOption("0");
  await transact("Delegate");
  await waitText(page.getByRole("row", { name: "track root", exact: true }), /delegating to 5DAAnrj7/, 20_000, "Ferdie's delegation");
  await transact("Undelegate root");
  await waitText(page.getByRole("row", { name: "track root", exact: true }), /^(?![\s\S]*delegating)/, 20_000, "Ferdie's delegation ended");
  log("delegated and undelegated");

  // 8. Alice challenges the demo job and adds evidence; Dave votes in its referendum.
  await useAccount("Alice");
  await nav("Disputes");
  await page.getByRole("tab", { name: "Challenge work" }).click();
  await page.getByLabel("Job id", { exact: true }).fill(args.job);
  await page.getByLabel("Grounds of the challenge", { exact: true }).selectOption("WrongResult");
  await transact("Challenge");
  await waitText(page.getByRole("heading", { level: 1 }), /Dispute #\d+/, 20_000, "the dispute's page");
  const disputePhase = await waitText(page.getByLabel("dispute phase", { exact: true }), /voting \(first round\) in referendum #\d+/, 20_000, "the dispute's referendum");
  const disputeReferendum = /referendum #(\d+)/.exec(disputePhase)[1];
  await page.getByLabel("Evidence file", { exact: true }).setInputFiles({
    name: "replay.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(`job ${args.job}: replayed accuracy differs\n`),
  });
  let hash = "";
  for (let i = 0; i < 40 && !/^0x[0-9a-f]{64}$/.test(hash); i++) {
    await page.waitForTimeout(250);
    hash = await page.getByLabel("Evidence hash (hex)", { exact: true }).inputValue();
  }
  if (!/^0x[0-9a-f]{64}$/.test(hash)) throw new Error(`the file was not hashed: ${hash}`);
  await page.getByLabel("Note", { exact: true }).fill("the replay disagrees with the proven result");
  await transact("Add evidence");
  await waitText(page.getByRole("list", { name: "evidence" }), /disputer: the replay disagrees/, 20_000, "the evidence");
  await useAccount("Dave");
  await page.getByLabel("Amount (CLD)", { exact: true }).fill("1000");
  await page.getByLabel("Conviction", { exact: true }).selectOption("0");
  await transact("Vote");
  // Eve abstains: counted in support only.
  await useAccount("Eve");
  await page.getByLabel("Vote", { exact: true }).selectOption("abstain");
  await page.getByLabel("Abstain amount (CLD)", { exact: true }).fill("500");
  await transact("Vote");
  await shot("dispute");
  await nav("Disputes");
  await waitText(page.getByRole("table", { name: "disputes" }), /challenge of job #\d+.*40 CLD/, 20_000, "the dispute in the list, with the new 40 CLD bond");
  await shot("disputes-list");

  // 9. The explorer, after the demo job and the grid.
  await nav("Jobs");
  await waitText(page.getByRole("row", { name: `job ${args.job}`, exact: true }), /Iris accuracy.*completed/, 20_000, "the demo job");
  await shot("jobs");
  await go(`#/jobs/${args.job}`);
  await waitText(page.getByLabel("proven accuracy", { exact: true }), /proven accuracy: \d+\/30/, 20_000, "the proven accuracy");
  await shot("job");
  await nav("Grids");
  await page.getByRole("row", { name: `grid ${args.grid}`, exact: true }).waitFor();
  await go(`#/grids/${args.grid}`);
  await waitText(page.getByRole("table", { name: "leaderboard" }), /lr=/, 240_000, "a proven slot on the leaderboard");
  await shot("grid");
  await nav("Provers");
  await page.getByRole("table", { name: "provers" }).waitFor();
  await shot("provers");
  await page.getByRole("table", { name: "provers" }).getByRole("link").first().click();
  await waitText(page.getByLabel("score", { exact: true }), /\d+ \/ 1000/, 20_000, "the prover's score");
  await shot("prover");
  await nav("Treasury");
  await waitText(page.getByLabel("treasury balance", { exact: true }), /CLD/, 20_000, "the treasury's balance");
  await shot("treasury");

  // The dispute's referendum, ongoing: its decoded call, tally (Dave's 0.1× aye; Eve's
  // abstention in support only) and curves.
  await go(`#/referenda/${disputeReferendum}`);
  await waitText(page.getByLabel("proposal summary", { exact: true }), /Rule on dispute #\d+: uphold the claim/, 20_000, "the dispute's proposal");
  await waitText(page.getByLabel("track", { exact: true }), /^dispute$/, 10_000, "the dispute track");
  await waitText(page.getByLabel("ayes", { exact: true }), /^100 CLD/, 10_000, "Dave's 0.1× aye");
  await waitText(page.getByLabel("support", { exact: true }), /^1,500 CLD/, 10_000, "support with Eve's abstention");
  await waitText(page.getByLabel("your vote", { exact: true }), /Eve voted split with abstention/, 10_000, "Eve's abstention");
  await shot("referendum");
}

const DAVE = "5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy";

/** A loopback port nothing listens on (bound, then freed). */
const deadPort = await new Promise((resolve) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

let failed = false;
try {
  await main();
  log("all browser checks passed");
} catch (error) {
  failed = true;
  console.error(`browser test failed: ${error instanceof Error ? error.message : error}`);
  await shot("failure").catch(() => {});
} finally {
  writeFileSync(`${args.artifacts}/console-errors.txt`, consoleErrors.join("\n"));
  // The browser reports each failed attempt on the dead node; anything else is a bug.
  const unexpected = consoleErrors.filter((e) => !e.includes(`127.0.0.1:${deadPort}`));
  if (unexpected.length) {
    failed = true;
    console.error(`unexpected console errors (${unexpected.length}):\n${unexpected.join("\n")}`);
  }
  await browser.close();
}
process.exit(failed ? 1 : 0);
