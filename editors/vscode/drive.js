// Drives VS Code (code-server, in headless Chromium through playwright-core) against
// `listlint server` (tests/test_server_editors.py); not part of the extension (see
// .vscodeignore). Usage: node drive.js URL FOLDER FILE OUT, with CHROMIUM naming the
// browser. code-server is already running at URL with the extension installed and the
// README's settings. Opens FILE (a name in FOLDER) from the Explorer, waits for its
// diagnostics in the Problems panel and writes them to OUT as `line:column code source`,
// then types a line at the end and saves (Ctrl+S: codeActionsOnSave runs
// source.fixAll.listlint, formatOnSave runs the listlint formatter), and waits until the
// file on disk is saved and VS Code shows it clean.
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [url, folder, file, out] = process.argv.slice(2);
const lines = [];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM,
    args: ["--no-sandbox"], // root in a container
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    const row = `.explorer-folders-view .monaco-list-row[aria-label^="${file}"]`;
    await page.waitForSelector(row, { timeout: 90000 });
    await page.click(row);
    await page.waitForSelector(".monaco-editor .view-lines", { timeout: 30000 });
    await page.keyboard.press("Control+Shift+M"); // View: Problems
    const marker = ".markers-panel .monaco-list-row";
    const found = await page
      .waitForFunction(
        (sel) => [...document.querySelectorAll(sel)].some((e) => /LL\d+/.test(e.innerText)),
        marker,
        { timeout: 60000, polling: 100 },
      )
      .then(() => true, () => false);
    if (!found) lines.push("timeout: no diagnostics");
    // A row reads `message listlint LL404 [Ln 5, Col 1]` (the source, the code, the place).
    const rows = await page.$$eval(marker, (els) => els.map((e) => e.innerText.replace(/\s+/g, " ")));
    const problems = [];
    for (const text of rows) {
      const m = /(\S+)\s*\(?(LL\d+)\)? \[Ln (\d+), Col (\d+)\]$/.exec(text);
      if (m) problems.push([Number(m[3]), Number(m[4]), `${m[3]}:${m[4]} ${m[2]} ${m[1]}`]);
    }
    problems.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    lines.push(...problems.map((p) => p[2]));

    const target = path.join(folder, file);
    const before = fs.readFileSync(target, "utf8");
    await page.click(".monaco-editor .view-lines");
    await page.keyboard.press("Control+End");
    await page.keyboard.type("More text.");
    await page.keyboard.press("Enter");
    const dirty = ".tabs-container .tab.dirty";
    await page.waitForSelector(dirty, { state: "attached", timeout: 10000 }); // not saved yet
    await page.keyboard.press("Control+S");
    const deadline = Date.now() + 30000;
    let saved = false;
    while (Date.now() < deadline) {
      const clean = (await page.$(dirty)) === null;
      if (clean && fs.readFileSync(target, "utf8") !== before) {
        saved = true;
        break;
      }
      await page.waitForTimeout(100);
    }
    lines.push(saved ? "saved" : "timeout: not saved");
  } catch (error) {
    await page.screenshot({ path: `${out}.png` }); // what the window showed
    throw error;
  } finally {
    fs.writeFileSync(out, lines.join("\n") + "\n");
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
