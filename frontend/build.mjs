// Builds the lesson page's front end into the Voila template's static folder:
// lesson-page.js and lesson-page.css (one file each, minified), and lesson-page.licenses.txt:
// the name, version and licence of every npm package the bundle contains, then each
// package's licence text.
// Run: npm run build (after npm ci); `node frontend/build.mjs FOLDER` writes them elsewhere.
// The files are shipped with the kit, so installing the kit needs no Node.js.
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2]
  ?? join(root, 'rebalance_widgets/dashboards/share/voila/templates/rebalance/static');

const result = await build({
  entryPoints: [join(root, 'frontend/page.js')],
  outfile: join(out, 'lesson-page.js'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  legalComments: 'none',
  loader: { '.svg': 'dataurl' },
  metafile: true,
  logLevel: 'warning',
});

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match && !packages.has(match[1])) {
    const meta = JSON.parse(readFileSync(join(root, 'node_modules', match[1], 'package.json')));
    const folder = join(root, 'node_modules', match[1]);
    const file = readdirSync(folder).find((name) => /^(licen[sc]e|copying)/i.test(name));
    packages.set(match[1], {
      line: `${match[1]} ${meta.version} ${meta.license}`,
      text: file ? readFileSync(join(folder, file), 'utf8').trim()
        : `The package ships no licence file; its package.json names ${meta.license}` +
          ` (author: ${meta.author?.name ?? meta.author ?? 'not given'};` +
          ` home: ${meta.homepage ?? meta.repository?.url ?? 'not given'}).`,
    });
  }
}
const names = [...packages.keys()].sort();
writeFileSync(join(out, 'lesson-page.licenses.txt'),
  'npm packages in lesson-page.js and lesson-page.css (name, version, licence):\n' +
  names.map((name) => packages.get(name).line).join('\n') + '\n' +
  names.map((name) => `\n---- ${name}\n\n${packages.get(name).text}\n`).join(''));
