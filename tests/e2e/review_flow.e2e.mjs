#!/usr/bin/env node
// End-to-end test of the web UI in Debian's Chromium (playwright-core, no browser download):
// starts `cutroom serve` on a free port with a temporary data directory, signs in through the UI,
// uploads the generated sample conversation, creates a 2-clip job at 180x320, watches the dashboard's
// live progress reach done, plays a clip (currentTime advances, a transcript word is highlighted),
// rejects one clip with a reason and approves the other, edits a title and re-renders with another
// caption style and a trim (progress, new length), and confirms the decisions and edits through the API with
// a token created on the Settings screen. Also: a wrong password shows the API's message, brands
// and members screens, dark mode, and an expired session going back to the login page and back.
//
// Screenshots of every screen go to tests/e2e/artifacts/ (kept on success and failure).
//
// usage: node tests/e2e/review_flow.e2e.mjs   (or `npm run e2e` in web/; needs web/dist built and
//        build/release/cli/cutroom; CUTROOM_BIN, CHROMIUM and E2E_KEEP_TMP=1 override/keep)
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const require = createRequire(join(root, "web/package.json"));
const { chromium } = require("playwright-core");

const cutroom = process.env.CUTROOM_BIN ?? join(root, "build/release/cli/cutroom");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const webDist = join(root, "web/dist");
const artifacts = join(here, "artifacts");
const email = "owner@e2e.test";
const password = "e2e-password-123";
const JOB_TIMEOUT_MS = 300_000;

const t0 = Date.now();
const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`, ...a);

for (const [what, path] of [["cutroom binary", cutroom], ["web build", join(webDist, "index.html")], ["chromium", chromiumPath]]) {
  if (!existsSync(path)) {
    console.error(`e2e: missing ${what}: ${path}` + (what === "web build" ? " (run scripts/web build)" : ""));
    process.exit(2);
  }
}
mkdirSync(artifacts, { recursive: true });
for (const f of readdirSync(artifacts)) {
  if (f.endsWith(".png") || f === "server.log") rmSync(join(artifacts, f)); // the previous run's
}
const tmp = mkdtempSync(join(tmpdir(), "cutroom-e2e-"));

let server = null;
let browser = null;
let page = null;
let shot = 0;

async function screenshot(name) {
  shot += 1;
  const file = join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage: true });
  log("screenshot", file.slice(root.length + 1));
}

function startServer() {
  return new Promise((resolvePort, reject) => {
    const serverLog = createWriteStream(join(artifacts, "server.log"));
    server = spawn(
      cutroom,
      [
        "serve", "--listen", "127.0.0.1:0", "--data", join(tmp, "data"), "--web", webDist,
        "--admin-email", email, "--admin-password", password,
        "--insecure-fast-password-hashing", "--job-threads", "2", "--log-format", "text",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const timer = setTimeout(() => reject(new Error("cutroom serve did not print its address in 30 s")), 30_000);
    server.stdout.on("data", (chunk) => {
      serverLog.write(chunk);
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolvePort(m[1]);
      }
    });
    server.stderr.on("data", (chunk) => serverLog.write(chunk));
    server.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`cutroom serve exited early (code ${code}, signal ${signal}); see artifacts/server.log`));
    });
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.removeAllListeners("exit");
  server.once("exit", () => {});
  server.kill("SIGTERM");
  const timeout = new Promise((r) => setTimeout(() => r("timeout"), 15_000));
  if ((await Promise.race([exited, timeout])) === "timeout") server.kill("SIGKILL");
}

/** Selects an option of a Radix Select by the trigger's label and the option's text. */
async function choose(label, option) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

async function main() {
  log("generating the sample conversation");
  execFileSync(cutroom, ["sample", "--conversation", "-o", join(tmp, "src")], { stdio: "ignore" });
  const talk = join(tmp, "src/conversation.mp4");
  assert.ok(existsSync(talk), "the sample conversation exists");

  const base = await startServer();
  log("server at", base);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light" });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));

  // --- Login: first a wrong password (the API's message is shown), then the right one.
  await page.goto(base + "/");
  await page.waitForURL(/\/login/);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "wrong e-mail or password" }).waitFor();
  await screenshot("login-error");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  await page.getByText("No jobs yet").waitFor();
  await screenshot("dashboard-empty");

  // --- New job: upload through the UI, then 2 clips of 8-30 s at 180x320.
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "New job" }).click();
  await page.getByRole("heading", { name: "New clip job" }).waitFor();
  await page.locator("#upload-file").setInputFiles(talk);
  await page.getByTestId("selected-source").filter({ hasText: "conversation.mp4" }).waitFor({ timeout: 60_000 });
  log("uploaded");
  await page.getByLabel("Number of clips").fill("2");
  await page.getByLabel("Shortest").fill("8");
  await page.getByLabel("Longest").fill("30");
  await page.getByRole("radio", { name: "Karaoke" }).click();
  await page.getByText("Advanced: output size").click();
  await choose("Output size", "180×320");
  await screenshot("new-job");
  await page.getByRole("button", { name: "Create job" }).click();
  await page.waitForURL(/\/\?job=\d+/);
  const jobId = Number(new URL(page.url()).searchParams.get("job"));
  log("created job", jobId);

  // --- Dashboard: live progress until done.
  const card = page.getByTestId(`job-${jobId}`);
  await card.waitFor();
  const seen = new Set();
  let sawEta = false;
  let runningShot = false;
  const deadline = Date.now() + JOB_TIMEOUT_MS;
  for (;;) {
    const state = await card.getAttribute("data-state");
    const pct = Number((await card.getByTestId("job-percent").textContent())?.replace("%", ""));
    seen.add(pct);
    if (!sawEta && (await card.getByTestId("job-eta").count()) > 0) {
      sawEta = /left|finishing/.test((await card.getByTestId("job-eta").textContent()) ?? "");
    }
    if (!runningShot && state === "running" && pct >= 30) {
      await screenshot("dashboard-running");
      runningShot = true;
    }
    if (state === "completed") break;
    if (state === "failed" || state === "cancelled") {
      await screenshot("dashboard-job-failed");
      throw new Error(`job ${jobId} ended ${state}`);
    }
    if (Date.now() > deadline) throw new Error(`job ${jobId} not done after ${JOB_TIMEOUT_MS / 1000} s (state ${state}, ${pct}%)`);
    await page.waitForTimeout(500);
  }
  const intermediate = [...seen].filter((p) => p > 0 && p < 100).sort((a, b) => a - b);
  log("job done; progress seen:", intermediate.join(" "), sawEta ? "(with an ETA)" : "(no ETA shown)");
  assert.ok(intermediate.length >= 3, `the dashboard showed live progress (saw ${[...seen].join(",")})`);
  assert.equal(await card.getByTestId("job-percent").textContent(), "100%");
  assert.match((await card.getByTestId("job-cpu").textContent()) ?? "", /\d/);
  // The new job is highlighted with its steps open.
  await card.getByTestId("step-probe").waitFor();
  assert.equal(await card.getByTestId("step-probe").getAttribute("data-state"), "succeeded");
  await screenshot("dashboard-done");

  // --- The job's clips.
  await card.getByRole("link", { name: "Review clips" }).click();
  await page.getByRole("heading", { name: "Clips" }).waitFor();
  const clipLinks = page.locator('[data-testid^="clip-link-"]');
  await clipLinks.first().waitFor();
  const clipIds = await clipLinks.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid").slice("clip-link-".length)));
  log("clips", clipIds.join(", "));
  assert.ok(clipIds.length >= 2, `at least two clips (got ${clipIds.length})`);
  await screenshot("job-clips");

  // --- Clip review: play (currentTime advances, the transcript follows), reject with a reason.
  await clipLinks.first().click();
  await page.waitForURL(new RegExp(`/clips/${clipIds[0]}$`));
  const video = page.getByTestId("clip-video");
  await video.waitFor();
  await page.waitForFunction(() => document.querySelector("video")?.readyState >= 1, null, { timeout: 20_000 });
  await page.getByTestId("transcript").waitFor();
  const before = await video.evaluate((v) => v.currentTime);
  await video.evaluate((v) => {
    v.muted = true;
    return v.play();
  });
  await page.waitForFunction((t) => document.querySelector("video").currentTime > t + 1.0, before, { timeout: 20_000 });
  const after = await video.evaluate((v) => v.currentTime);
  log(`playing: currentTime ${before.toFixed(2)} -> ${after.toFixed(2)}`);
  await page.locator('[data-testid="transcript"] [aria-current="true"]').first().waitFor({ timeout: 10_000 });
  await screenshot("clip-playing");
  await video.evaluate((v) => v.pause());

  await choose("Reason (to reject)", "Cut mid-thought");
  await page.getByLabel("Comment (optional)").fill("e2e: ends mid-sentence");
  await page.getByRole("button", { name: "Reject" }).click();
  await page.getByTestId("review-state").filter({ hasText: "Rejected" }).waitFor();
  await screenshot("clip-rejected");

  // --- The next clip: approve.
  await page.getByTestId("next-clip").click();
  await page.waitForURL(new RegExp(`/clips/${clipIds[1]}$`));
  await page.getByTestId("review-state").filter({ hasText: "Not reviewed" }).waitFor();
  await page.getByLabel("Comment (optional)").fill("e2e: good hook");
  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByTestId("review-state").filter({ hasText: "Approved" }).waitFor();
  await screenshot("clip-approved");

  // --- Edit: a new title, then another caption style: a re-render job with its progress.
  await page.getByLabel("Title", { exact: true }).fill("E2E edited title");
  await page.getByRole("button", { name: "Save title and description" }).click();
  await page.getByTestId("clip-title").filter({ hasText: "E2E edited title" }).waitFor();
  await page.waitForFunction(() => document.querySelector("video")?.duration > 0);
  const lengthBefore = await page.getByTestId("clip-video").evaluate((v) => v.duration);
  await page.getByRole("radio", { name: "Boxed word" }).click();
  await page.getByLabel("Cut from the start").fill("1");
  await page.getByRole("button", { name: "Re-render" }).click();
  const renderBox = page.getByTestId("render-progress");
  await renderBox.waitFor();
  await renderBox.filter({ hasText: "completed" }).waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => /[?&]v=\d+/.test(document.querySelector("video")?.getAttribute("src") ?? ""));
  await page.waitForFunction(() => document.querySelector("video")?.duration > 0);
  const lengthAfter = await page.getByTestId("clip-video").evaluate((v) => v.duration);
  log(`re-rendered with boxed_word, 1 s trimmed: ${lengthBefore.toFixed(2)} s -> ${lengthAfter.toFixed(2)} s`);
  assert.ok(Math.abs(lengthBefore - 1 - lengthAfter) < 0.25, "the trim shortened the clip by a second");
  await page.getByText("(now boxed_word)").waitFor();
  await screenshot("clip-rerendered");

  // --- Settings: an API token, shown once; then both decisions through the API with it.
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Name").fill("e2e check");
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByLabel("Token", { exact: true }).inputValue();
  assert.match(secret, /^crt_/);
  await screenshot("settings-token-created");
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("cell", { name: "e2e check", exact: true }).waitFor();

  const apiGet = async (path) => {
    const r = await fetch(base + path, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${await r.clone().text()}`);
    return r.json();
  };
  const me = await apiGet("/api/v1/auth/me");
  const ws = me.workspaces[0].id;
  const rejected = await apiGet(`/api/v1/workspaces/${ws}/clips/${clipIds[0]}/reviews`);
  const approved = await apiGet(`/api/v1/workspaces/${ws}/clips/${clipIds[1]}/reviews`);
  assert.equal(rejected.items.length, 1);
  assert.equal(rejected.items[0].decision, "reject");
  assert.equal(rejected.items[0].reason, "cut_mid_thought");
  assert.equal(rejected.items[0].comment, "e2e: ends mid-sentence");
  assert.equal(approved.items.length, 1);
  assert.equal(approved.items[0].decision, "approve");
  assert.equal(approved.items[0].comment, "e2e: good hook");
  const clip0 = await apiGet(`/api/v1/workspaces/${ws}/clips/${clipIds[0]}`);
  assert.equal(clip0.review.decision, "reject");
  const clip1 = await apiGet(`/api/v1/workspaces/${ws}/clips/${clipIds[1]}`);
  assert.equal(clip1.title, "E2E edited title");
  assert.equal(clip1.render_job?.state, "completed");
  log("the API confirms: clip", clipIds[0], "rejected (cut_mid_thought), clip", clipIds[1], "approved");

  await page.getByRole("tab", { name: "Members" }).click();
  await page.getByRole("cell", { name: /owner@e2e\.test/ }).waitFor();
  await screenshot("settings-members");

  // --- Brands: a kit saved through the editor.
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Brands" }).click();
  await page.getByRole("button", { name: "New brand" }).click();
  await page.getByLabel("Name").fill("E2E Channel");
  await page.getByRole("button", { name: "Create brand" }).click();
  await page.getByLabel("Niche").fill("startup advice");
  await page.locator("#color-primary").fill("#FF5500");
  await choose("Aspect", "1:1 square");
  await page.getByRole("radio", { name: "Boxed word" }).click();
  await page.getByRole("button", { name: "Save brand" }).click();
  await page.getByText("E2E Channel saved", { exact: true }).waitFor();
  const brands = await apiGet(`/api/v1/workspaces/${ws}/brands`);
  const brand = brands.items.find((b) => b.name === "E2E Channel");
  assert.ok(brand, "the brand exists");
  assert.equal(brand.settings.colors.primary, "#FF5500");
  assert.equal(brand.settings.aspect, "1:1");
  assert.equal(brand.settings.caption_style, "boxed_word");
  await screenshot("brands");

  // --- Dark mode.
  await page.getByTestId("theme-toggle").click();
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("dark")));
  await page.goto(`${base}/clips/${clipIds[1]}`);
  await page.getByTestId("clip-title").waitFor();
  await screenshot("clip-dark");

  // --- An expired session: back to the login page, then back where the user was.
  await context.clearCookies();
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: "Dashboard" }).click();
  await page.waitForURL(/\/login/);
  await page.getByText("Your session has expired").waitFor();
  await screenshot("session-expired");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();

  // --- A phone-sized screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId(`job-${jobId}`).waitFor();
  await screenshot("mobile-dashboard");
  await page.goto(`${base}/clips/${clipIds[0]}`);
  await page.getByTestId("clip-title").waitFor();
  await screenshot("mobile-clip");

  assert.deepEqual(pageErrors, [], "no uncaught errors in the page");
  log(`passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

let failed = false;
try {
  await main();
} catch (e) {
  failed = true;
  console.error("e2e FAILED:", e?.stack ?? e);
  if (page) await page.screenshot({ path: join(artifacts, "failure.png"), fullPage: true }).catch(() => {});
} finally {
  await browser?.close().catch(() => {});
  await stopServer();
  if (!process.env.E2E_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  else log("kept", tmp);
}
process.exit(failed ? 1 : 0);
