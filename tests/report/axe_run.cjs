// axe-core over one HTML file in the system's chromium at one width, through playwright-core
// (which never downloads a browser). Prints {violations, scrollWidth, clientWidth} as JSON.
// usage: node axe_run.cjs NODE_MODULES CHROMIUM FILE_URL WIDTH [PDF]
// With PDF: print the page there as a browser's print dialog does by default (no
// "background graphics"), instead of running axe.
const [modules, chromium, url, width, pdf] = process.argv.slice(2);
const { chromium: launcher } = require(`${modules}/playwright-core`);
const axePath = require.resolve(`${modules}/axe-core/axe.min.js`);

(async () => {
  const browser = await launcher.launch({
    executablePath: chromium,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    await page.goto(url);
    if (pdf) {
      await page.emulateMedia({ media: "print" });
      await page.pdf({ path: pdf, printBackground: false, preferCSSPageSize: true });
      return;
    }
    await page.addScriptTag({ path: axePath });
    const result = await page.evaluate(async () => {
      const run = await window.axe.run(document, {
        runOnly: {
          type: "tag",
          values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        },
      });
      return {
        violations: run.violations.map((v) => ({
          id: v.id,
          help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        })),
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      };
    });
    console.log(JSON.stringify(result));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(String(error));
  process.exit(1);
});
